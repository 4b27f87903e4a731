using System.Text;
using Nabla.Serialization;
using Nabla.Tests.IO;

namespace Nabla.Tests.Serialization;

public class SafetensorsFormatTests
{
    [Fact]
    public void Serialize_matches_the_reference_bytes_for_one_f32_tensor_with_padding()
    {
        // The reference implementation's own test vector: header of 65 bytes padded with 7 spaces to 72.
        var tensor = SafeTensor.FromFloats("attn0", [1, 1, 2, 3], [0f, 1f, 2f, 3f, 4f, 5f]);
        var header = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}" + new string(' ', 7);
        Assert.Equal(72, header.Length);
        var expected = SafetensorsBytes.File(header, SafetensorsBytes.F32(0, 1, 2, 3, 4, 5));
        Assert.Equal(expected, SafetensorsFile.Serialize([tensor]));
        Assert.Equal(72, expected[0]);
    }

    [Fact]
    public void Serialize_of_nothing_is_an_empty_object_padded_to_eight_bytes()
    {
        Assert.Equal(new byte[] { 8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}', 32, 32, 32, 32, 32, 32 }, SafetensorsFile.Serialize([]));
    }

    [Fact]
    public void Serialize_puts_metadata_first_and_pads_with_spaces()
    {
        var bytes = SafetensorsFile.Serialize([], new Dictionary<string, string> { ["framework"] = "pt" });
        Assert.Equal(SafetensorsBytes.File("{\"__metadata__\":{\"framework\":\"pt\"}}     "), bytes);
    }

    [Fact]
    public void Tensors_are_written_sorted_by_name_and_back_to_back()
    {
        var b = SafeTensor.FromDoubles("b", [1], [2.0]);
        var a = SafeTensor.FromFloats("a", [2], [1f, -1f]);
        var header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}";
        header += new string(' ', (8 - header.Length % 8) % 8);
        var expected = SafetensorsBytes.File(header, [.. SafetensorsBytes.F32(1f, -1f), .. SafetensorsBytes.F64(2.0)]);
        Assert.Equal(expected, SafetensorsFile.Serialize([b, a]));
    }

    [Fact]
    public void Strings_are_escaped_like_serde_json_and_non_ascii_is_raw_utf8()
    {
        var bytes = SafetensorsFile.Serialize([], new Dictionary<string, string> { ["k"] = "a\"b\\c\nd\u0001é" });
        var header = Encoding.UTF8.GetString(bytes, 8, bytes.Length - 8).TrimEnd(' ');
        Assert.Equal("{\"__metadata__\":{\"k\":\"a\\\"b\\\\c\\nd\\u0001é\"}}", header);
    }

    [Fact]
    public void A_file_written_by_hand_from_the_spec_is_read_with_its_metadata()
    {
        var header = "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F64\",\"shape\":[2,2],\"data_offsets\":[0,32]},"
                   + "\"b\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[32,36]}}";
        var data = SafetensorsBytes.F64(1.5, -2, 0.25, 1e300).Concat(BitConverter.GetBytes(-7)).ToArray();
        var file = SafetensorsFile.Parse(SafetensorsBytes.File(header, data), "hand.safetensors");
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(new[] { "w", "b" }, file.Names);
        Assert.Equal(new[] { 2, 2 }, file.Tensors["w"].Shape);
        Assert.Equal(new[] { 1.5, -2, 0.25, 1e300 }, file.Tensors["w"].ToDoubleArray());
        Assert.Empty(file.Tensors["b"].Shape);
        Assert.Equal(new[] { -7.0 }, file.Tensors["b"].ToDoubleArray());
    }

    [Fact]
    public void Header_entries_in_any_order_are_matched_to_their_offsets()
    {
        var header = "{\"second\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},\"first\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        var file = SafetensorsFile.Parse(SafetensorsBytes.File(header, SafetensorsBytes.F32(10f, 20f)), "x");
        Assert.Equal(new[] { "first", "second" }, file.Names);
        Assert.Equal(new[] { 20f }, file.Tensors["second"].ToFloatArray());
    }

    [Fact]
    public void Save_then_Load_is_bit_exact_for_nan_payloads_negative_zero_and_subnormals()
    {
        var doubles = new[]
        {
            BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF), BitConverter.Int64BitsToDouble(unchecked((long)0xFFF0_0000_0000_0001)),
            -0.0, double.Epsilon, 2.2250738585072009E-308, double.MaxValue, double.NegativeInfinity, 0.1,
        };
        var floats = new[] { BitConverter.Int32BitsToSingle(0x7FC0_1234), -0.0f, float.Epsilon, 1.17549421E-38f, float.PositiveInfinity };
        var longs = new[] { long.MinValue, -1, 0, long.MaxValue };
        using var dir = new TempDirectory();
        var path = dir.File("m.safetensors");
        var meta = new Dictionary<string, string> { ["nabla.version"] = "1", ["note"] = "ünïcode \"quoted\"" };
        SafetensorsFile.Save(path, new Dictionary<string, SafeTensor>
        {
            ["d"] = SafeTensor.FromDoubles("d", [2, 4], doubles),
            ["f"] = SafeTensor.FromFloats("f", [5], floats),
            ["i"] = SafeTensor.FromInt64s("i", [4, 1], longs),
            ["empty"] = SafeTensor.FromDoubles("empty", [0, 3], []),
        }, meta);

        var loaded = SafetensorsFile.Load(path);
        Assert.Equal(meta, loaded.Metadata);
        Assert.Equal(doubles.Select(BitConverter.DoubleToInt64Bits), loaded.Tensors["d"].ToDoubleArray().Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(floats.Select(BitConverter.SingleToInt32Bits), loaded.Tensors["f"].ToFloatArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(longs, loaded.Tensors["i"].ToInt64Array());
        Assert.Equal(new[] { 0, 3 }, loaded.Tensors["empty"].Shape);
        Assert.Equal(SafeTensorDType.I64, loaded.Tensors["i"].DType);
        Assert.Equal(new[] { "m.safetensors" }, dir.Entries());
    }

    [Fact]
    public void Get_names_the_missing_tensor_and_lists_those_present()
    {
        var file = SafetensorsFile.Parse(SafetensorsFile.Serialize([SafeTensor.FromDoubles("w", [1], [1.0])]), "m.st");
        var ex = Assert.Throws<NablaException>(() => file.Get("bias", "m.st"));
        Assert.Equal("m.st: no tensor named \"bias\"; the file holds: \"w\"", ex.Message);
    }

    [Fact]
    public void Serialize_refuses_duplicate_names_and_the_reserved_metadata_name()
    {
        var one = SafeTensor.FromDoubles("x", [1], [1.0]);
        Assert.Contains("two tensors are named \"x\"", Assert.Throws<ArgumentException>(() => SafetensorsFile.Serialize([one, one])).Message);
        var reserved = SafeTensor.FromDoubles("__metadata__", [1], [1.0]);
        Assert.Contains("__metadata__", Assert.Throws<ArgumentException>(() => SafetensorsFile.Serialize([reserved])).Message);
    }

    [Fact]
    public void Load_of_a_missing_file_says_file_not_found()
    {
        using var dir = new TempDirectory();
        var path = dir.File("nope.safetensors");
        Assert.Equal($"{path}: file not found", Assert.Throws<NablaException>(() => SafetensorsFile.Load(path)).Message);
    }

    [Fact]
    public void A_failed_Save_leaves_the_previous_model_file_untouched()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.safetensors");
        SafetensorsFile.Save(path, [SafeTensor.FromDoubles("w", [1], [1.0])]);
        var before = File.ReadAllBytes(path);
        var one = SafeTensor.FromDoubles("x", [1], [2.0]);
        Assert.Throws<ArgumentException>(() => SafetensorsFile.Save(path, [one, one]));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { "m.safetensors" }, dir.Entries());
    }
}
