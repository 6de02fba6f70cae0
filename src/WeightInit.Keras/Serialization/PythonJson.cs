using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeightInit.Keras.Serialization;

/// <summary>
/// JSON as Python's <c>json</c> module sees it. Writing follows <c>json.dumps</c> with default arguments: separators
/// <c>", "</c> and <c>": "</c>, keys in insertion order, non-ASCII escaped, floats in Python <c>repr</c> form
/// (<c>1.0</c>, <c>0.05</c>, <c>1e-05</c>). Reading types numbers as <c>json.loads</c> does: a literal with no fraction
/// and no exponent is an int of any size, anything else a float.
/// </summary>
internal static class PythonJson
{
    /// <summary>Python's <c>repr</c> switches to exponent notation below this decimal-point position.</summary>
    private const int MinFixedDecimalPoint = -4;

    /// <summary>And above this one (<c>1e16</c> prints as <c>1e+16</c>, <c>1e15</c> as <c>1000000000000000.0</c>).</summary>
    private const int MaxFixedDecimalPoint = 16;

    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 64 };

    /// <summary>Parses JSON text with a nesting limit.</summary>
    public static JsonNode? Parse(string json) => JsonNode.Parse(json, documentOptions: ReadOptions);

    /// <summary>True for a JSON number that <c>json.loads</c> reads as an int: no fraction, no exponent, any size.</summary>
    public static bool IsInteger(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && IsIntegerLiteral(v.ToJsonString());

    /// <summary>
    /// The integer a JSON number holds, whether the node was parsed or built in memory from an <c>int</c>,
    /// <c>long</c> or integral <c>double</c>; false for non-integers, other kinds and values outside <c>long</c>.
    /// </summary>
    public static bool TryGetInteger(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The number a JSON number holds, parsed or built in memory from any numeric type.</summary>
    public static bool TryGetNumber(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The string a JSON string holds; false for every other kind.</summary>
    public static bool TryGetString(JsonNode? node, out string value)
    {
        value = "";
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.TryGetValue(out string? s))
        {
            value = s;
            return true;
        }
        return false;
    }

    /// <summary>The value of JSON <c>true</c> or <c>false</c>; false for every other kind.</summary>
    public static bool TryGetBool(JsonNode? node, out bool value)
    {
        value = false;
        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            value = v.GetValue<bool>();
            return true;
        }
        return false;
    }

    /// <summary>
    /// The node as <c>json.dumps</c> would print the equivalent Python object. A .NET <c>double</c> or <c>float</c>
    /// is a Python float; a parsed number is what <c>json.loads</c> makes of it, so an integer literal stays verbatim
    /// at any size and any other literal prints as the float's <c>repr</c>.
    /// </summary>
    public static string Dumps(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node);
        return sb.ToString();
    }

    /// <summary>Python's <c>repr(float)</c>: the shortest round-trip digits, Python's layout.</summary>
    public static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }
        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }
        var (digits, decimalPoint) = Decompose(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));
        string sign = value < 0 ? "-" : "";
        if (decimalPoint > MinFixedDecimalPoint && decimalPoint <= MaxFixedDecimalPoint)
        {
            if (decimalPoint <= 0)
            {
                return sign + "0." + new string('0', -decimalPoint) + digits;
            }
            if (decimalPoint >= digits.Length)
            {
                return sign + digits + new string('0', decimalPoint - digits.Length) + ".0";
            }
            return sign + digits[..decimalPoint] + "." + digits[decimalPoint..];
        }
        int exponent = decimalPoint - 1;
        string mantissa = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }

    private static bool IsIntegerLiteral(string text) => text.All(c => char.IsAsciiDigit(c) || c == '-');

    /// <summary>Splits a positive number's text into significant digits and the decimal point's position (0.d1d2… × 10^pos).</summary>
    private static (string Digits, int DecimalPoint) Decompose(string text)
    {
        int exponent = 0;
        int ePos = text.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exponent = int.Parse(text[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..ePos];
        }
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        string intPart = dot >= 0 ? text[..dot] : text;
        string fracPart = dot >= 0 ? text[(dot + 1)..] : "";
        string all = intPart + fracPart;
        int decimalPoint = intPart.Length + exponent;
        int leading = 0;
        while (leading < all.Length - 1 && all[leading] == '0')
        {
            leading++;
        }
        string digits = all[leading..].TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, decimalPoint - leading);
    }

    private static void Write(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                sb.Append('{');
                bool first = true;
                foreach (var (key, value) in obj)
                {
                    if (!first)
                    {
                        sb.Append(", ");
                    }
                    first = false;
                    WriteString(sb, key);
                    sb.Append(": ");
                    Write(sb, value);
                }
                sb.Append('}');
                break;
            case JsonArray array:
                sb.Append('[');
                for (int i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }
                    Write(sb, array[i]);
                }
                sb.Append(']');
                break;
            case JsonValue value:
                WriteValue(sb, value);
                break;
        }
    }

    private static void WriteValue(StringBuilder sb, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(sb, value.GetValue<string>());
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Number:
                WriteNumber(sb, value);
                break;
            case JsonValueKind.Null:
                sb.Append("null");
                break;
            default:
                Write(sb, JsonNode.Parse(value.ToJsonString()));
                break;
        }
    }

    private static void WriteNumber(StringBuilder sb, JsonValue value)
    {
        bool parsed = value.TryGetValue(out JsonElement _);
        if (!parsed && value.TryGetValue(out double d))
        {
            sb.Append(FormatFloat(d));
        }
        else if (!parsed && value.TryGetValue(out float f))
        {
            sb.Append(FormatFloat(f));
        }
        else
        {
            string text = value.ToJsonString();
            sb.Append(IsIntegerLiteral(text) ? text : FormatFloat(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)));
        }
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                default:
                    if (c < 0x20 || c > 0x7E)
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        sb.Append('"');
    }
}
