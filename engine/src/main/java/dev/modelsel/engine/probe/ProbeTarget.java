package dev.modelsel.engine.probe;

import java.net.URI;
import java.util.Map;

/**
 * One model's probe: the request that shows whether it answers.
 *
 * @param model     the model id the result is written for.
 * @param url       an absolute http or https URL.
 * @param method    the HTTP method, sent without a body.
 * @param headers   header values with environment references already resolved: secrets, never printed.
 * @param timeoutMs how long to wait for the answer's status line and headers.
 */
public record ProbeTarget(String model, URI url, String method, Map<String, String> headers, long timeoutMs)
{
    public ProbeTarget
    {
        headers = Map.copyOf(headers);
    }

    /** Header names only: their values may be API keys. */
    @Override
    public String toString()
    {
        return "ProbeTarget[model=" + model + ", url=" + url + ", method=" + method + ", headers=" +
            headers.keySet() + " (values hidden), timeoutMs=" + timeoutMs + "]";
    }
}
