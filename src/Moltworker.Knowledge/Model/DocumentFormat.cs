namespace Moltworker.Knowledge.Model;

/// <summary>How a document's text is read and cut.</summary>
public enum DocumentFormat
{
    Markdown,
    PlainText,
    Html,
    Code,
}
