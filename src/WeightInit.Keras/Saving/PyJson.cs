using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeightInit.Keras.Saving;

/// <summary>
/// JSON text as Python's <c>json.dumps</c> writes it with default arguments: separators <c>", "</c> and
/// <c>": "</c>, keys in insertion order, non-ASCII escaped, floats in Python <c>repr</c> form (<c>1.0</c>,
/// <c>0.05</c>, <c>1e-05</c>).
/// </summary>
internal static class PyJson
{
    /// <summary>Python's <c>repr</c> switches to exponent notation below this decimal-point position.</summary>
    private const int MinFixedDecimalPoint = -4;

    /// <summary>And above this one (<c>1e16</c> prints as <c>1e+16</c>, <c>1e15</c> as <c>1000000000000000.0</c>).</summary>
    private const int MaxFixedDecimalPoint = 16;

    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 64 };

    /// <summary>Parses JSON text with a nesting limit.</summary>
    public static JsonNode? Parse(string json) => JsonNode.Parse(json, documentOptions: ReadOptions);

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

    /// <summary>The node as <c>json.dumps</c> would print the equivalent Python object.</summary>
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
        if (value.TryGetValue(out string? s))
        {
            WriteString(sb, s);
        }
        else if (value.TryGetValue(out bool b))
        {
            sb.Append(b ? "true" : "false");
        }
        else if (value.TryGetValue(out int i))
        {
            sb.Append(i.ToString(CultureInfo.InvariantCulture));
        }
        else if (value.TryGetValue(out long l))
        {
            sb.Append(l.ToString(CultureInfo.InvariantCulture));
        }
        else if (value.TryGetValue(out double d))
        {
            sb.Append(FormatFloat(d));
        }
        else if (value.TryGetValue(out float f))
        {
            sb.Append(FormatFloat(f));
        }
        else if (value.TryGetValue(out JsonElement element) && element.ValueKind == JsonValueKind.Number)
        {
            sb.Append(element.GetRawText());
        }
        else
        {
            throw new InvalidOperationException($"Cannot write JSON value of kind {value.GetValueKind()}.");
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
