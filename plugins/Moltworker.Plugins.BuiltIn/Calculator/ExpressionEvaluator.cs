using System.Globalization;
using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.Calculator;

/// <summary>
/// A hand-written recursive-descent evaluator over doubles. Grammar (lowest precedence first):
/// <code>
/// sum     := product (('+' | '-') product)*
/// product := unary (('*' | '/' | '%') unary)*
/// unary   := ('-' | '+') unary | power
/// power   := atom (('^' | '**') unary)?          right-associative; -2^2 = -4
/// atom    := number | constant | function '(' sum (',' sum)* ')' | '(' sum ')'
/// </code>
/// Nothing but these numbers, operators and the fixed function table is understood: no names are looked up
/// anywhere else, so there is no way to run code. Input length and nesting depth are capped.
/// </summary>
internal sealed class ExpressionEvaluator
{
    public const int MaxLength = 1000;
    public const int MaxDepth = 100;

    private static readonly Dictionary<string, double> Constants = new(StringComparer.OrdinalIgnoreCase)
    { ["pi"] = Math.PI, ["e"] = Math.E, ["tau"] = Math.Tau };

    private readonly string _text;
    private int _pos;
    private int _depth;

    private ExpressionEvaluator(string text) => _text = text;

    public static double Evaluate(string expression)
    {
        if (expression.Length > MaxLength) throw Fail($"expression longer than {MaxLength} characters");
        var evaluator = new ExpressionEvaluator(expression);
        var value = evaluator.Sum();
        evaluator.SkipSpace();
        if (evaluator._pos < expression.Length) throw evaluator.Unexpected();
        if (double.IsNaN(value)) throw Fail("the result is not a number");
        if (double.IsInfinity(value)) throw Fail("the result is too large");
        return value;
    }

    private double Sum()
    {
        var value = Product();
        while (true)
        {
            if (Accept('+')) value += Product();
            else if (Accept('-')) value -= Product();
            else return value;
        }
    }

    private double Product()
    {
        var value = Unary();
        while (true)
        {
            if (Accept('*') || Accept('×')) value *= Unary();
            else if (Accept('/') || Accept('÷'))
            {
                var divisor = Unary();
                if (divisor == 0) throw Fail("division by zero");
                value /= divisor;
            }
            else if (Accept('%'))
            {
                var divisor = Unary();
                if (divisor == 0) throw Fail("modulo by zero");
                value %= divisor;
            }
            else return value;
        }
    }

    private double Unary()
    {
        Enter();
        try
        {
            if (Accept('-') || Accept('−')) return -Unary();
            if (Accept('+')) return Unary();
            return Power();
        }
        finally { _depth--; }
    }

    private double Power()
    {
        var value = Atom();
        if (Accept('^') || AcceptText("**")) return Math.Pow(value, Unary());
        return value;
    }

    private double Atom()
    {
        SkipSpace();
        if (_pos >= _text.Length) throw Fail("the expression ends too early");
        var c = _text[_pos];
        if (char.IsAsciiDigit(c) || c == '.') return Number();
        if (char.IsAsciiLetter(c)) return Name();
        if (Accept('('))
        {
            Enter();
            var value = Sum();
            _depth--;
            Expect(')');
            return value;
        }
        throw Unexpected();
    }

    private double Number()
    {
        var start = _pos;
        while (_pos < _text.Length && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] is '.' or '_')) _pos++;
        if (_pos < _text.Length && _text[_pos] is 'e' or 'E' && _pos + 1 < _text.Length &&
            (char.IsAsciiDigit(_text[_pos + 1]) || (_text[_pos + 1] is '+' or '-' && _pos + 2 < _text.Length && char.IsAsciiDigit(_text[_pos + 2]))))
        {
            _pos += 2;
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
        }
        var literal = _text[start.._pos].Replace("_", "");
        if (!double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw Fail($"not a number: \"{_text[start.._pos]}\" at position {start + 1}");
        return value;
    }

    private double Name()
    {
        var start = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
        var name = _text[start.._pos];
        if (Constants.TryGetValue(name, out var constant)) return constant;
        if (!Functions.Known(name)) throw Fail($"unknown name \"{name}\" at position {start + 1}; functions: {Functions.List}");
        Expect('(');
        Enter();
        var args = new List<double> { Sum() };
        while (Accept(',')) args.Add(Sum());
        _depth--;
        Expect(')');
        return Functions.Call(name, args);
    }

    private void Enter()
    {
        if (++_depth > MaxDepth) throw Fail($"expression nested deeper than {MaxDepth} levels");
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    private bool Peek(string text)
    {
        SkipSpace();
        return string.CompareOrdinal(_text, _pos, text, 0, text.Length) == 0;
    }

    private bool AcceptText(string text)
    {
        if (!Peek(text)) return false;
        _pos += text.Length;
        return true;
    }

    private bool Accept(char c)
    {
        SkipSpace();
        if (_pos < _text.Length && _text[_pos] == c) { _pos++; return true; }
        return false;
    }

    private void Expect(char c)
    {
        if (!Accept(c)) throw _pos >= _text.Length ? Fail($"missing \"{c}\" at the end") : Unexpected();
    }

    private ToolException Unexpected() =>
        _pos >= _text.Length ? Fail("the expression ends too early") : Fail($"unexpected \"{_text[_pos]}\" at position {_pos + 1}");

    internal static ToolException Fail(string message) => new($"cannot calculate: {message}");
}
