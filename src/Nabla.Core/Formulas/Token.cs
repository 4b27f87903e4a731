namespace Nabla.Formulas;

internal enum TokenKind { Number, Name, Plus, Minus, Star, Slash, Power, LeftParen, RightParen, Comma, Assign, Separator, End }

internal readonly record struct Token(TokenKind Kind, SourceSpan Span, string Text, double Number = 0);
