package dev.modelsel.engine.replication;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * HMAC-SHA256 of a message under the cluster's shared key: what makes a message the cluster's own. The key is held
 * only here and never printed ({@link #toString()} says so).
 * <p>
 * Not thread-safe: one per sending or receiving thread.
 */
final class MessageAuthenticator
{
    /** A shorter shared secret is refused: HMAC's strength is the key's. */
    static final int MIN_KEY_BYTES = 16;

    private final Mac mac;
    private final byte[] computed = new byte[WireDescriptor.MAC_LENGTH];

    MessageAuthenticator(final byte[] key)
    {
        if (key.length < MIN_KEY_BYTES)
        {
            throw new IllegalArgumentException("the cluster key must be at least " + MIN_KEY_BYTES + " bytes");
        }
        try
        {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("this JVM has no HmacSHA256", ex);
        }
    }

    /** Writes the MAC of {@code bytes[0, length)} at {@code bytes[length, length + 32)}. */
    void sign(final byte[] bytes, final int length)
    {
        mac.update(bytes, 0, length);
        try
        {
            mac.doFinal(bytes, length);
        }
        catch (final javax.crypto.ShortBufferException ex)
        {
            throw new IllegalArgumentException("no room for the MAC", ex);
        }
    }

    /** Whether {@code bytes[length, length + 32)} is the MAC of {@code bytes[0, length)}; constant time. */
    boolean verify(final byte[] bytes, final int length)
    {
        mac.update(bytes, 0, length);
        try
        {
            mac.doFinal(computed, 0);
        }
        catch (final javax.crypto.ShortBufferException ex)
        {
            throw new IllegalStateException(ex);
        }
        return MessageDigest.isEqual(computed, java.util.Arrays.copyOfRange(bytes, length, length + computed.length));
    }

    @Override
    public String toString()
    {
        return "MessageAuthenticator{HmacSHA256, key not shown}";
    }
}
