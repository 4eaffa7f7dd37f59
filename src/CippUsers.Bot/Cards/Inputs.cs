using System.Text.Json.Nodes;

namespace CippUsers.Bot.Cards;

/// <summary>Common input properties (validation runs client-side; re-validate server-side, card data is untrusted).</summary>
public abstract class CardInput : CardElement
{
    protected CardInput(string id) => InputId = id;

    public string InputId { get; }
    public string? Label { get; init; }
    public bool IsRequired { get; init; }
    public string? ErrorMessage { get; init; }

    protected abstract void WriteInput(JsonObject json);

    protected sealed override void Write(JsonObject json)
    {
        json["id"] = InputId;
        if (Label is not null)
        {
            json["label"] = Label;
        }

        if (IsRequired)
        {
            json["isRequired"] = true;
        }

        if (ErrorMessage is not null)
        {
            json["errorMessage"] = ErrorMessage;
        }

        WriteInput(json);
    }
}

public sealed class TextInput(string id) : CardInput(id)
{
    public string? Placeholder { get; init; }
    public string? Value { get; init; }
    public bool IsMultiline { get; init; }
    public string? Regex { get; init; }
    public int? MaxLength { get; init; }

    protected override string Type => "Input.Text";

    protected override void WriteInput(JsonObject json)
    {
        if (Placeholder is not null)
        {
            json["placeholder"] = Placeholder;
        }

        if (Value is not null)
        {
            json["value"] = Value;
        }

        if (IsMultiline)
        {
            json["isMultiline"] = true;
        }

        if (Regex is not null)
        {
            json["regex"] = Regex;
        }

        if (MaxLength is { } max)
        {
            json["maxLength"] = max;
        }
    }
}

public sealed record Choice(string Title, string Value);

public sealed class ChoiceSetInput(string id, IEnumerable<Choice> choices) : CardInput(id)
{
    public IReadOnlyList<Choice> Choices { get; } = [.. choices];
    public bool IsMultiSelect { get; init; }
    public ChoiceSetStyle Style { get; init; }
    public string? Placeholder { get; init; }

    /// <summary>Selected value(s); several values are comma-separated.</summary>
    public string? Value { get; init; }

    protected override string Type => "Input.ChoiceSet";

    protected override void WriteInput(JsonObject json)
    {
        json["choices"] = Array(Choices, c => new JsonObject { ["title"] = c.Title, ["value"] = c.Value });
        if (IsMultiSelect)
        {
            json["isMultiSelect"] = true;
        }

        if (Style != ChoiceSetStyle.Compact)
        {
            json["style"] = CardEnumNames.Of(Style);
        }

        if (Placeholder is not null)
        {
            json["placeholder"] = Placeholder;
        }

        if (Value is not null)
        {
            json["value"] = Value;
        }
    }
}

public sealed class ToggleInput(string id, string title) : CardInput(id)
{
    public string Title { get; } = title;
    public bool Value { get; init; }
    public string ValueOn { get; init; } = "true";
    public string ValueOff { get; init; } = "false";

    protected override string Type => "Input.Toggle";

    protected override void WriteInput(JsonObject json)
    {
        json["title"] = Title;
        json["value"] = Value ? ValueOn : ValueOff;
        json["valueOn"] = ValueOn;
        json["valueOff"] = ValueOff;
    }
}

public sealed class DateInput(string id) : CardInput(id)
{
    public DateOnly? Value { get; init; }
    public DateOnly? Min { get; init; }
    public DateOnly? Max { get; init; }

    protected override string Type => "Input.Date";

    protected override void WriteInput(JsonObject json)
    {
        if (Value is { } value)
        {
            json["value"] = value.ToString("yyyy-MM-dd");
        }

        if (Min is { } min)
        {
            json["min"] = min.ToString("yyyy-MM-dd");
        }

        if (Max is { } max)
        {
            json["max"] = max.ToString("yyyy-MM-dd");
        }
    }
}

public sealed class TimeInput(string id) : CardInput(id)
{
    public TimeOnly? Value { get; init; }

    protected override string Type => "Input.Time";

    protected override void WriteInput(JsonObject json)
    {
        if (Value is { } value)
        {
            json["value"] = value.ToString("HH:mm");
        }
    }
}

public sealed class NumberInput(string id) : CardInput(id)
{
    public double? Value { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public string? Placeholder { get; init; }

    protected override string Type => "Input.Number";

    protected override void WriteInput(JsonObject json)
    {
        if (Value is { } value)
        {
            json["value"] = value;
        }

        if (Min is { } min)
        {
            json["min"] = min;
        }

        if (Max is { } max)
        {
            json["max"] = max;
        }

        if (Placeholder is not null)
        {
            json["placeholder"] = Placeholder;
        }
    }
}
