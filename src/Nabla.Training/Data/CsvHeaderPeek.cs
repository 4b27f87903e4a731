namespace Nabla.Data;

/// <summary>
/// A reader that gives back the lines already read to look at the header, then the rest of the underlying reader,
/// so the separator can be detected without reading a file twice.
/// </summary>
internal sealed class CsvHeaderPeek : TextReader
{
    private readonly TextReader _rest;
    private readonly string _prefix;
    private int _position;

    private CsvHeaderPeek(string prefix, TextReader rest) => (_prefix, _rest) = (prefix, rest);

    /// <summary>Reads up to the first line that is not blank, and returns it with a reader that replays it.</summary>
    public static (string Header, TextReader Reader) Open(TextReader text)
    {
        var read = new System.Text.StringBuilder();
        string header = "";
        while (text.ReadLine() is { } line)
        {
            read.Append(line).Append('\n');
            if (line.AsSpan().Trim().Length > 0) { header = line; break; }
        }
        return (header, new CsvHeaderPeek(read.ToString(), text));
    }

    public override int Peek() => _position < _prefix.Length ? _prefix[_position] : _rest.Peek();

    public override int Read() => _position < _prefix.Length ? _prefix[_position++] : _rest.Read();

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        if (_position >= _prefix.Length) return _rest.Read(buffer);
        int n = Math.Min(buffer.Length, _prefix.Length - _position);
        _prefix.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }
}
