using Nabla.Serialization;

namespace Nabla.Tests.Serialization;

public class SafetensorsValidationTests
{
    private static string Refusal(byte[] file)
    {
        var ex = Assert.Throws<NablaException>(() => SafetensorsFile.Parse(file, "bad.safetensors"));
        Assert.StartsWith("bad.safetensors: ", ex.Message);
        return ex.Message;
    }

    private static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    [Fact]
    public void A_file_shorter_than_eight_bytes_is_refused()
    {
        Assert.Contains("shorter than the 8-byte header length", Refusal([1, 0, 0]));
        Assert.Contains("0 bytes", Refusal([]));
    }

    [Fact]
    public void A_header_length_larger_than_the_file_is_refused()
    {
        var file = SafetensorsBytes.File("{}      ");
        file[0] = 9; // claims 9 header bytes, 8 follow
        Assert.Contains("header length 9 is larger than the 8 bytes after it", Refusal(file));
    }

    [Fact]
    public void An_absurd_header_length_is_refused_before_reading_it()
    {
        var file = new byte[16];
        BitConverter.GetBytes(100_000_001UL).CopyTo(file, 0);
        Assert.Contains("header length 100000001 exceeds the 100000000-byte limit", Refusal(file));
        BitConverter.GetBytes(ulong.MaxValue).CopyTo(file, 0);
        Assert.Contains("exceeds", Refusal(file));
    }

    [Fact]
    public void A_header_that_is_not_json_is_refused()
    {
        Assert.Contains("header is not valid JSON", Refusal(SafetensorsBytes.File("{\"a\":")));
        Assert.Contains("header is not valid JSON", Refusal(SafetensorsBytes.File([0xFF, 0xFE, (byte)'{', (byte)'}'], [])));
    }

    [Fact]
    public void A_header_that_is_not_an_object_is_refused()
    {
        Assert.Contains("header is a JSON array, not an object", Refusal(SafetensorsBytes.File("[1,2]   ")));
    }

    [Fact]
    public void An_unknown_dtype_is_refused_with_the_known_ones_listed()
    {
        var message = Refusal(SafetensorsBytes.File("{" + Entry("w", "F128", "[1]", 0, 16) + "}", new byte[16]));
        Assert.Contains("tensor \"w\": unknown dtype \"F128\"", message);
        Assert.Contains("F32", message);
    }

    [Fact]
    public void A_negative_dimension_is_refused()
    {
        Assert.Contains("tensor \"w\": shape has a negative dimension -2 at position 1",
            Refusal(SafetensorsBytes.File("{" + Entry("w", "F32", "[1,-2]", 0, 0) + "}")));
    }

    [Fact]
    public void A_fractional_dimension_is_refused()
    {
        Assert.Contains("shape entry 0 is 1.5, not an integer", Refusal(SafetensorsBytes.File("{" + Entry("w", "F32", "[1.5]", 0, 4) + "}", new byte[4])));
    }

    [Fact]
    public void A_byte_length_that_does_not_match_shape_times_element_size_is_refused()
    {
        var message = Refusal(SafetensorsBytes.File("{" + Entry("w", "F32", "[2,3]", 0, 20) + "}", new byte[20]));
        Assert.Contains("tensor \"w\": shape [2, 3] of F32 needs 6 × 4 = 24 bytes, but data_offsets [0, 20] span 20", message);
    }

    [Fact]
    public void Offsets_outside_the_data_buffer_are_refused()
    {
        var message = Refusal(SafetensorsBytes.File("{" + Entry("w", "F32", "[2]", 0, 8) + "}", new byte[4]));
        Assert.Contains("tensor \"w\": data_offsets [0, 8] lie outside the data buffer, which holds 4 bytes", message);
    }

    [Fact]
    public void Offsets_that_end_before_they_begin_are_refused()
    {
        Assert.Contains("end before they begin", Refusal(SafetensorsBytes.File("{" + Entry("w", "F32", "[0]", 4, 0) + "}", new byte[4])));
    }

    [Fact]
    public void Negative_offsets_are_refused()
    {
        Assert.Contains("data_offsets begin is -4, not a non-negative integer",
            Refusal(SafetensorsBytes.File("{" + Entry("w", "F32", "[1]", -4, 0) + "}", new byte[4])));
    }

    [Fact]
    public void Overlapping_offsets_are_refused_naming_both_tensors()
    {
        var header = "{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 4, 12) + "}";
        Assert.Contains("tensors \"a\" [0, 8) and \"b\" [4, 12) overlap", Refusal(SafetensorsBytes.File(header, new byte[12])));
    }

    [Fact]
    public void A_gap_between_tensors_is_refused()
    {
        var header = "{" + Entry("a", "F32", "[1]", 0, 4) + "," + Entry("b", "F32", "[1]", 8, 12) + "}";
        Assert.Contains("bytes [4, 8) of the data buffer belong to no tensor (a gap before \"b\")", Refusal(SafetensorsBytes.File(header, new byte[12])));
    }

    [Fact]
    public void A_gap_before_the_first_tensor_is_refused()
    {
        var header = "{" + Entry("a", "F32", "[1]", 4, 8) + "}";
        Assert.Contains("bytes [0, 4) of the data buffer belong to no tensor", Refusal(SafetensorsBytes.File(header, new byte[8])));
    }

    [Fact]
    public void Trailing_bytes_after_the_last_tensor_are_refused()
    {
        var header = "{" + Entry("a", "F32", "[1]", 0, 4) + "}";
        Assert.Contains("3 trailing bytes after the last tensor", Refusal(SafetensorsBytes.File(header, new byte[7])));
    }

    [Fact]
    public void Duplicate_tensor_names_are_refused()
    {
        var header = "{" + Entry("a", "F32", "[1]", 0, 4) + "," + Entry("a", "F32", "[1]", 4, 8) + "}";
        Assert.Contains("the name \"a\" appears more than once", Refusal(SafetensorsBytes.File(header, new byte[8])));
    }

    [Fact]
    public void Metadata_values_that_are_not_strings_are_refused()
    {
        Assert.Contains("metadata \"epochs\" is a JSON number; metadata values must be strings",
            Refusal(SafetensorsBytes.File("{\"__metadata__\":{\"epochs\":3}}")));
        Assert.Contains("\"__metadata__\" is a JSON array", Refusal(SafetensorsBytes.File("{\"__metadata__\":[]}")));
    }

    [Fact]
    public void A_missing_field_is_refused()
    {
        Assert.Contains("tensor \"w\": the header entry has no \"shape\"",
            Refusal(SafetensorsBytes.File("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4])));
    }

    [Fact]
    public void Data_without_any_tensor_is_trailing()
    {
        Assert.Contains("2 trailing bytes", Refusal(SafetensorsBytes.File("{}      ", 1, 2)));
    }
}
