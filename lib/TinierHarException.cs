namespace TinierHar;

/// <summary>
/// An error caused by input (a file, a shape, an argument), with a message meant for the user:
/// it names the file, line, key or argument and says what was expected. The CLI prints it as one line.
/// </summary>
public class TinierHarException(string message, Exception? inner = null) : Exception(message, inner);
