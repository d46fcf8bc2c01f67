using static NativeConv.BindGen.LibClang;

namespace NativeConv.BindGen;

/// <summary>
/// The main file's tokens, comments included: the bodies of macros and the comments that
/// document declarations.
/// </summary>
/// <remarks>
/// Comments are matched here rather than through clang_Cursor_getRawCommentText because the header
/// uses plain /* */ comments, both above declarations and after them on the same line. Clang only
/// attaches such comments with -fparse-all-comments, and then treats a trailing comment as the
/// leading comment of the next declaration, shifting every field's text by one.
/// </remarks>
internal sealed unsafe class SourceTokens
{
    private readonly record struct Token(CXTokenKind Kind, string Text, FilePosition Start, FilePosition End);

    private readonly List<Token> tokens;

    private SourceTokens(List<Token> tokens) => this.tokens = tokens;

    internal static SourceTokens Read(nint translationUnit)
    {
        CXSourceRange wholeFile = clang_getCursorExtent(clang_getTranslationUnitCursor(translationUnit));
        CXToken* raw;
        uint count;
        clang_tokenize(translationUnit, wholeFile, &raw, &count);
        try
        {
            var tokens = new List<Token>((int)count);
            for (int i = 0; i < count; i++)
            {
                CXSourceRange extent = clang_getTokenExtent(translationUnit, raw[i]);
                tokens.Add(new Token(
                    clang_getTokenKind(raw[i]),
                    Take(clang_getTokenSpelling(translationUnit, raw[i])),
                    Position(clang_getRangeStart(extent)),
                    Position(clang_getRangeEnd(extent))));
            }
            return new SourceTokens(tokens);
        }
        finally
        {
            clang_disposeTokens(translationUnit, raw, count);
        }
    }

    /// <summary>The tokens a macro definition's name is defined as, without comments.</summary>
    internal IReadOnlyList<(CXTokenKind Kind, string Text)> MacroBody(CXCursor macro)
    {
        (int first, int last) = Span(macro);
        return tokens.Skip(first + 1).Take(last - first)
            .Where(token => token.Kind != CXTokenKind.Comment)
            .Select(token => (token.Kind, token.Text))
            .ToList();
    }

    /// <summary>
    /// The comment block on the lines directly above the declaration, or else a comment after it
    /// on its last line; the text without comment markers, lines joined by '\n'.
    /// </summary>
    internal string? DocComment(CXCursor declaration)
    {
        (int first, int last) = Span(declaration);
        return Leading(first) ?? Trailing(last);
    }

    private (int First, int Last) Span(CXCursor cursor)
    {
        CXSourceRange extent = clang_getCursorExtent(cursor);
        uint start = Position(clang_getRangeStart(extent)).Offset;
        uint end = Position(clang_getRangeEnd(extent)).Offset;
        int first = tokens.FindIndex(token => token.Start.Offset >= start);
        int last = tokens.FindLastIndex(token => token.Start.Offset < end);
        return (first, last);
    }

    private string? Leading(int first)
    {
        // The declaration's line may start before its cursor ("typedef enum", "#define"), but not
        // in an earlier declaration on the same line ("{ A = 1, B = 2 }").
        int lineStart = first;
        uint line = tokens[first].Start.Line;
        while (lineStart > 0 && tokens[lineStart - 1].End.Line == line
               && tokens[lineStart - 1] is not { Kind: CXTokenKind.Comment }
                   and not { Kind: CXTokenKind.Punctuation, Text: "{" or "}" or "," or ";" })
        {
            lineStart--;
        }

        var block = new List<string>();
        for (int i = lineStart - 1;
             i >= 0 && tokens[i].Kind == CXTokenKind.Comment && tokens[i].End.Line + 1 == line && StartsLine(i);
             i--)
        {
            block.Insert(0, tokens[i].Text);
            line = tokens[i].Start.Line;
        }
        return block.Count == 0 ? null : Clean(block);
    }

    private string? Trailing(int last)
    {
        int next = last + 1;
        if (next < tokens.Count && tokens[next].Kind == CXTokenKind.Punctuation && tokens[next].Text is "," or ";")
        {
            next++;
        }
        bool found = next < tokens.Count && tokens[next].Kind == CXTokenKind.Comment
                     && tokens[next].Start.Line == tokens[last].End.Line;
        return found ? Clean([tokens[next].Text]) : null;
    }

    // A comment that follows other tokens on its line belongs to them, not to the next line.
    private bool StartsLine(int index) => index == 0 || tokens[index - 1].End.Line < tokens[index].Start.Line;

    private static string? Clean(IEnumerable<string> comments)
    {
        List<string> lines = comments
            .SelectMany(comment => StripMarkers(comment).Split('\n'))
            .Select(line => line.Trim())
            .Select(line => line.StartsWith('*') ? line.TrimStart('*').TrimStart() : line)
            .SkipWhile(line => line.Length == 0)
            .Reverse().SkipWhile(line => line.Length == 0).Reverse()
            .ToList();
        return lines.Count == 0 ? null : string.Join('\n', lines);
    }

    // Also drops the Doxygen variants' extra marker characters (/** /*! /**< /// //! ///<).
    private static string StripMarkers(string comment) => comment.StartsWith("//")
        ? comment[2..].TrimStart('/', '!', '<')
        : comment[2..^2].TrimStart('*', '!', '<');
}
