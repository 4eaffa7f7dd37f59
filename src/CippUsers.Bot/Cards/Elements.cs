using System.Text.Json.Nodes;

namespace CippUsers.Bot.Cards;

public sealed class TextBlock(string text) : CardElement
{
    public string Text { get; } = text;
    public TextSize Size { get; init; }
    public TextWeight Weight { get; init; }
    public TextColor Color { get; init; }
    public bool Wrap { get; init; } = true;
    public bool IsSubtle { get; init; }
    public int? MaxLines { get; init; }
    public HorizontalAlignment? Alignment { get; init; }

    protected override string Type => "TextBlock";

    protected override void Write(JsonObject json)
    {
        json["text"] = Text;
        if (Size != TextSize.Default)
        {
            json["size"] = CardEnumNames.Of(Size);
        }

        if (Weight != TextWeight.Default)
        {
            json["weight"] = CardEnumNames.Of(Weight);
        }

        if (Color != TextColor.Default)
        {
            json["color"] = CardEnumNames.Of(Color);
        }

        if (Wrap)
        {
            json["wrap"] = true;
        }

        if (IsSubtle)
        {
            json["isSubtle"] = true;
        }

        if (MaxLines is { } maxLines)
        {
            json["maxLines"] = maxLines;
        }

        if (Alignment is { } alignment)
        {
            json["horizontalAlignment"] = CardEnumNames.Of(alignment);
        }
    }
}

public sealed record TextRun(string Text)
{
    public TextWeight Weight { get; init; }
    public TextColor Color { get; init; }
    public bool Italic { get; init; }
    public bool IsSubtle { get; init; }

    internal JsonObject ToJson()
    {
        var json = new JsonObject { ["type"] = "TextRun", ["text"] = Text };
        if (Weight != TextWeight.Default)
        {
            json["weight"] = CardEnumNames.Of(Weight);
        }

        if (Color != TextColor.Default)
        {
            json["color"] = CardEnumNames.Of(Color);
        }

        if (Italic)
        {
            json["italic"] = true;
        }

        if (IsSubtle)
        {
            json["isSubtle"] = true;
        }

        return json;
    }
}

public sealed class RichTextBlock(params IReadOnlyList<TextRun> inlines) : CardElement
{
    public IReadOnlyList<TextRun> Inlines { get; } = inlines;

    protected override string Type => "RichTextBlock";

    protected override void Write(JsonObject json) => json["inlines"] = Array(Inlines, r => r.ToJson());
}

public sealed record Fact(string Title, string Value);

public sealed class FactSet(IEnumerable<Fact> facts) : CardElement
{
    public IReadOnlyList<Fact> Facts { get; } = [.. facts];

    protected override string Type => "FactSet";

    protected override void Write(JsonObject json)
        => json["facts"] = Array(Facts, f => new JsonObject { ["title"] = f.Title, ["value"] = f.Value });
}

public sealed class Container(IEnumerable<CardElement> items) : CardElement
{
    public IReadOnlyList<CardElement> Items { get; } = [.. items];
    public ContainerStyle Style { get; init; }
    public bool Bleed { get; init; }
    public CardAction? SelectAction { get; init; }

    protected override string Type => "Container";

    protected override void Write(JsonObject json)
    {
        json["items"] = Array(Items, i => i.ToJson());
        if (Style != ContainerStyle.Default)
        {
            json["style"] = CardEnumNames.Of(Style);
        }

        if (Bleed)
        {
            json["bleed"] = true;
        }

        if (SelectAction is not null)
        {
            json["selectAction"] = SelectAction.ToJson();
        }
    }
}

public sealed class Column(IEnumerable<CardElement> items)
{
    public IReadOnlyList<CardElement> Items { get; } = [.. items];

    /// <summary>"auto", "stretch", a weight ("2") or pixels ("50px").</summary>
    public string? Width { get; init; }
    public ContainerStyle Style { get; init; }
    public CardAction? SelectAction { get; init; }

    internal JsonObject ToJson()
    {
        var json = new JsonObject { ["type"] = "Column", ["items"] = new JsonArray([.. Items.Select(i => (JsonNode)i.ToJson())]) };
        if (Width is not null)
        {
            json["width"] = int.TryParse(Width, out var weight) ? JsonValue.Create(weight) : JsonValue.Create(Width);
        }

        if (Style != ContainerStyle.Default)
        {
            json["style"] = CardEnumNames.Of(Style);
        }

        if (SelectAction is not null)
        {
            json["selectAction"] = SelectAction.ToJson();
        }

        return json;
    }
}

public sealed class ColumnSet(IEnumerable<Column> columns) : CardElement
{
    public IReadOnlyList<Column> Columns { get; } = [.. columns];
    public ContainerStyle Style { get; init; }

    protected override string Type => "ColumnSet";

    protected override void Write(JsonObject json)
    {
        json["columns"] = Array(Columns, c => c.ToJson());
        if (Style != ContainerStyle.Default)
        {
            json["style"] = CardEnumNames.Of(Style);
        }
    }
}

public sealed class Image(Uri url) : CardElement
{
    public Uri Url { get; } = url;
    public string? AltText { get; init; }
    public ImageSize Size { get; init; }

    protected override string Type => "Image";

    protected override void Write(JsonObject json)
    {
        json["url"] = Url.ToString();
        if (AltText is not null)
        {
            json["altText"] = AltText;
        }

        if (Size != ImageSize.Auto)
        {
            json["size"] = CardEnumNames.Of(Size);
        }
    }
}

public sealed class ActionSet(IEnumerable<CardAction> actions) : CardElement
{
    public IReadOnlyList<CardAction> Actions { get; } = [.. actions];

    protected override string Type => "ActionSet";

    protected override void Write(JsonObject json) => json["actions"] = Array(Actions, a => a.ToJson());
}
