using System.Text.Json;
using System.Text.Json.Serialization;
using Nabla.Records;

namespace Nabla.Training;

/// <summary>
/// Compile-time JSON metadata for every type Nabla reads or writes as JSON (run records, a checkpoint's history and
/// fingerprint, a model file's name lists, a report's edge lists), so serialization needs no reflection and works in a Native AOT binary.
/// The attribute's options are those of <see cref="RunRecord.JsonOptions"/>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    Converters = [typeof(CamelCaseEnumConverter<RunTask>)])]
[JsonSerializable(typeof(RunRecord))]
[JsonSerializable(typeof(List<EpochMetrics>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyList<int[][]>), TypeInfoPropertyName = "ReportEdges")]
internal sealed partial class NablaJsonContext : JsonSerializerContext;

/// <summary>An enum as its camelCase name ("classification"), never as a number.</summary>
internal sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
