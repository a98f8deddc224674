package io.jllm.tools.dispatch;

/**
 * A tool call recognised in the model's text, not yet run.
 *
 * @param tool      the tool name as written
 * @param arguments the argument text as the tool reads it
 * @param malformed why the call cannot be run as written (unbalanced brackets, JSON that is not a call), or
 *                  null for a well-formed call
 */
public record CallRequest(String tool, String arguments, String malformed) {

    public static CallRequest of(String tool, String arguments) {
        return new CallRequest(tool, arguments, null);
    }

    public static CallRequest malformed(String tool, String arguments, String problem) {
        return new CallRequest(tool, arguments, problem);
    }
}
