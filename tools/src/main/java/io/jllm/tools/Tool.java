package io.jllm.tools;

/**
 * A tool the model can call inline, Toolformer style: {@code [Name(arguments) → result]}. The model writes the
 * name and the argument text; the tool answers with the text that is injected after the arrow.
 */
public interface Tool {

    /** The name the model writes, for example {@code Calculator}; letters and digits, starting with a letter. */
    String name();

    /** One line saying what the tool does, for listings. */
    String description();

    /** Example calls showing the argument syntax, one per line, for help texts: {@code Calculator(400 / 1400)}. */
    String syntax();

    /**
     * Runs one call.
     *
     * @param arguments the text between the parentheses, never null
     * @return the result text, without the surrounding brackets
     * @throws ToolException when the call cannot be answered; its message is short enough to show the model
     */
    String call(String arguments) throws ToolException;
}
