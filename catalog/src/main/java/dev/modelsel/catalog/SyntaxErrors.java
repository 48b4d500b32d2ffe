package dev.modelsel.catalog;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parser's complaint about YAML or JSON syntax in this project's words, at the line and column where the parser
 * stopped. SnakeYAML and Jackson describe their own state ({@code while parsing a flow sequence},
 * {@code Unexpected character (',' (code 44))}) with a copy of the line and a caret, which reads badly on one line
 * and means little to whoever wrote the file.
 * <p>
 * Stateless and thread-safe.
 */
public final class SyntaxErrors
{
    private static final Pattern QUOTED_CHARACTER = Pattern.compile("'(.+?)'");
    private static final Pattern JSON_CHARACTER = Pattern.compile("^Unexpected character \\('(.+?)' \\(code \\d+\\)\\)");
    private static final Pattern JSON_TOKEN = Pattern.compile("^Unrecognized token '(.*?)'");

    private SyntaxErrors()
    {
    }

    /**
     * @param source the file name, for the message.
     * @param ex     the parser's exception.
     * @param json   whether the text was read as strict JSON.
     * @return one problem: file, line and column where the parser stopped, and what is wrong there.
     */
    public static CatalogProblem describe(final String source, final JsonProcessingException ex, final boolean json)
    {
        if (ex.getCause() instanceof MarkedYAMLException)
        {
            final MarkedYAMLException yaml = (MarkedYAMLException)ex.getCause();
            final Mark at = yaml.getProblemMark();
            return new CatalogProblem(source, "", at.getLine() + 1, at.getColumn() + 1, "not valid YAML: " + yaml(yaml));
        }
        final JsonLocation location = ex.getLocation();
        final int line = location == null ? 0 : location.getLineNr();
        final int column = location == null ? 0 : location.getColumnNr();
        if (ex.getCause() instanceof ReaderException)
        {
            final int codePoint = ((ReaderException)ex.getCause()).getCodePoint();
            return new CatalogProblem(source, "", line, 0, "not valid YAML: the character " +
                String.format(Locale.ROOT, "U+%04X", codePoint) + " is not allowed in YAML (a control character?)");
        }
        return new CatalogProblem(source, "", line, column, "not valid " + (json ? "JSON" : "YAML") + ": " +
            json(ex));
    }

    /** What a JSON parser's exception says is wrong, in this project's words, without its location. */
    public static String json(final JsonProcessingException ex)
    {
        final String original = ex.getOriginalMessage() == null ? "" : ex.getOriginalMessage().lines().findFirst()
            .orElse("");
        final Matcher character = JSON_CHARACTER.matcher(original);
        if (character.find())
        {
            final String found = shown(character.group(1));
            if (original.contains("double-quote to start field name"))
            {
                return "a key in double quotes should come here, not " + found;
            }
            if (original.contains("comma to separate Object entries"))
            {
                return "a \",\" or \"}\" should come after a value, not " + found;
            }
            if (original.contains("comma to separate Array entries"))
            {
                return "a \",\" or \"]\" should come after a value, not " + found;
            }
            if (original.contains("colon to separate field name and value"))
            {
                return "a \":\" should come after a key, not " + found;
            }
            return "a value should start here, not " + found;
        }
        final Matcher token = JSON_TOKEN.matcher(original);
        if (token.find())
        {
            return QuotedText.of(token.group(1)) + " is not a value (text needs double quotes; true, false and null " +
                "are lower case)";
        }
        if (original.startsWith("Unexpected end-of-input"))
        {
            return original.contains("close marker for Object") ? "the text ends inside an object (a \"}\" is missing)" :
                original.contains("close marker for Array") ? "the text ends inside a list (a \"]\" is missing)" :
                original.contains("in a String value") ? "the text ends inside a quoted string" :
                "the text ends too early";
        }
        if (original.startsWith("Illegal unquoted character"))
        {
            return "a control character inside a quoted string; write it escaped, as \\n or \\t";
        }
        if (original.startsWith("Unrecognized character escape"))
        {
            return "an escape JSON does not have inside a quoted string; write \\\\ for a backslash";
        }
        if (original.startsWith("Invalid UTF-8"))
        {
            return "not UTF-8 text";
        }
        if (original.startsWith("Leading zeroes not allowed") || original.startsWith("Invalid numeric value"))
        {
            return "a number JSON does not allow (no leading zeros, no \"+\", no hexadecimal)";
        }
        return original.replaceAll("\\s*\\(code \\d+\\)", "");
    }

    private static String yaml(final MarkedYAMLException ex)
    {
        final String context = ex.getContext() == null ? "" : ex.getContext();
        final String problem = ex.getProblem() == null ? "" : ex.getProblem();
        final String opened = ex.getContextMark() == null ? "" :
            " on line " + (ex.getContextMark().getLine() + 1) + ", column " + (ex.getContextMark().getColumn() + 1);
        final String openedLine = ex.getContextMark() == null ? "" : " on line " + (ex.getContextMark().getLine() + 1);
        if (problem.contains("\\t(TAB)"))
        {
            return "a tab; YAML indents with spaces only";
        }
        if (context.contains("flow sequence"))
        {
            return "the list opened with \"[\"" + opened + " is not closed: a \",\" or \"]\" should come before this";
        }
        if (context.contains("flow mapping"))
        {
            return "the mapping opened with \"{\"" + opened + " is not closed: a \",\" or \"}\" should come before this";
        }
        if (problem.startsWith("mapping values are not allowed"))
        {
            return "a \": \" where no key can start: a value that holds \": \" needs quotes, and a key under another " +
                "needs more indentation than it";
        }
        if (context.contains("quoted scalar") && problem.contains("end of stream"))
        {
            return "the quoted text that starts" + opened + " is never closed";
        }
        if (problem.startsWith("found unknown escape character"))
        {
            return "an escape that double-quoted YAML does not have; write \\\\ for a backslash, or use single quotes";
        }
        if (context.contains("block mapping") && problem.startsWith("expected <block end>"))
        {
            return "this line is indented differently from the keys of the mapping that starts" + openedLine;
        }
        if (context.contains("block collection") && problem.startsWith("expected <block end>"))
        {
            return "this line is indented differently from the list items that start" + openedLine;
        }
        if (problem.startsWith("could not find expected ':'"))
        {
            return "a key without its \":\" (or a value continued on a line that is not indented)";
        }
        if (problem.startsWith("expected the node content"))
        {
            return "a value should start here, not " + quoted(problem);
        }
        if (problem.contains("that cannot start any token"))
        {
            return quoted(problem) + " cannot start a value; put the value in quotes";
        }
        if (problem.startsWith("found undefined alias"))
        {
            return "an alias (*name) with no anchor (&name) before it";
        }
        if (problem.startsWith("found incompatible YAML document"))
        {
            return "a %YAML directive for a version other than 1.x";
        }
        return (context.isEmpty() ? "" : context + ": ") + problem;
    }

    /** The first 'x' of a SnakeYAML problem, as "x". */
    private static String quoted(final String problem)
    {
        final Matcher quoted = QUOTED_CHARACTER.matcher(problem);
        return quoted.find() ? shown(quoted.group(1)) : "this";
    }

    /** A character or word in quotes: "x", and '"' for a double quote. */
    private static String shown(final String text)
    {
        return text.equals("\"") ? "'\"'" : "\"" + text + "\"";
    }
}
