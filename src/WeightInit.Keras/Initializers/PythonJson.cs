using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeightInit.Keras.Initializers;

/// <summary>JSON text exactly as Python's <c>json.dumps</c> writes it with default arguments.</summary>
internal static class PythonJson
{
    /// <summary>Appends <paramref name="node"/>: <c>", "</c> and <c>": "</c> separators, floats as Python's repr.</summary>
    public static void Write(JsonNode? node, StringBuilder builder)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject o:
                builder.Append('{');
                bool first = true;
                foreach (var (key, value) in o)
                {
                    builder.Append(first ? "" : ", ");
                    first = false;
                    WriteString(key, builder);
                    builder.Append(": ");
                    Write(value, builder);
                }
                builder.Append('}');
                break;
            case JsonArray a:
                builder.Append('[');
                for (int i = 0; i < a.Count; i++)
                {
                    builder.Append(i == 0 ? "" : ", ");
                    Write(a[i], builder);
                }
                builder.Append(']');
                break;
            case JsonValue v:
                WriteValue(v, builder);
                break;
        }
    }

    /// <summary>Python's <c>repr(float)</c>: shortest round-trip digits, exponent form below 1e-4 and from 1e16.</summary>
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
        string sign = value < 0 || (value == 0 && double.IsNegative(value)) ? "-" : "";
        string r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int e = 0;
        int ePos = r.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            e = int.Parse(r[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..ePos];
        }
        int point = r.IndexOf('.');
        string digits = point < 0 ? r : r.Remove(point, 1);
        int decpt = (point < 0 ? r.Length : point) + e;
        int leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0');
        decpt -= leading;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return sign + "0.0";
        }
        if (decpt > -4 && decpt <= 16)
        {
            if (decpt <= 0)
            {
                return sign + "0." + new string('0', -decpt) + digits;
            }
            if (decpt >= digits.Length)
            {
                return sign + digits + new string('0', decpt - digits.Length) + ".0";
            }
            return sign + digits[..decpt] + "." + digits[decpt..];
        }
        string mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
        int exponent = decpt - 1;
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }

    private static void WriteValue(JsonValue v, StringBuilder builder)
    {
        switch (v.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(v.GetValue<string>(), builder);
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            case JsonValueKind.Null:
                builder.Append("null");
                break;
            default:
                if (v.TryGetValue(out double d) && !v.TryGetValue(out JsonElement _) && !v.TryGetValue(out long _))
                {
                    builder.Append(FormatFloat(d));
                }
                else
                {
                    builder.Append(v.ToJsonString());
                }
                break;
        }
    }

    private static void WriteString(string s, StringBuilder builder)
    {
        builder.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                default:
                    if (c < 0x20 || c > 0x7e)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        builder.Append('"');
    }
}
