using System.Text;
using RadBridge.Reporting.Templates;

namespace RadBridge.Reporting.Tests;

/// <summary>The embedded report templates: complete in both languages, found for the studies they are for.</summary>
public sealed class TemplateCatalogTests
{
    private static readonly ReportTemplateCatalog Catalog = ReportTemplateCatalog.Default;

    [Theory]
    [InlineData("CT", "CHEST", "lungRads")]
    [InlineData("CT", "HEAD", "haemorrhage")]
    [InlineData("DX", "CHEST", "cardiothoracicRatio")]
    [InlineData("MG", "BREAST", "birads")]
    [InlineData("US", "ABDOMEN", "gallstones")]
    [InlineData("MR", "BRAIN", "fazekas")]
    [InlineData("*", "*", null)]
    public void Each_kind_of_study_has_a_template_in_chinese_and_english(string modality, string bodyPart, string? field)
    {
        var pair = Catalog.All.Where(t => t.Modality == modality && t.BodyPart == bodyPart).ToList();
        Assert.Equal(["en", "zh-CN"], pair.Select(t => t.Language).Order(StringComparer.Ordinal));
        if (field is not null) Assert.All(pair, t => Assert.Contains(t.Fields, f => f.Key == field));
    }

    [Fact]
    public void Both_languages_of_a_template_have_the_same_fields_and_all_their_text()
    {
        foreach (var group in Catalog.All.GroupBy(t => (t.Modality, t.BodyPart)))
        {
            var en = Assert.Single(group, t => t.Language == "en");
            var zh = Assert.Single(group, t => t.Language == "zh-CN");
            Assert.Equal(en.Fields.Select(f => f.Key), zh.Fields.Select(f => f.Key));
            Assert.Equal(en.Fields.Select(f => f.Options.Count), zh.Fields.Select(f => f.Options.Count));
            Assert.All(group, t => Assert.False(string.IsNullOrWhiteSpace(t.Name), t.Id));
            Assert.All(group.SelectMany(t => t.Fields), f => Assert.False(string.IsNullOrWhiteSpace(f.Label), f.Key));
            if (en.Modality != ReportTemplateCatalog.Any)
            {
                Assert.All(group, t => Assert.False(string.IsNullOrWhiteSpace(t.Findings) || string.IsNullOrWhiteSpace(t.Impression), t.Id));
                // The Chinese template is in Chinese (not an English text left untranslated).
                Assert.Contains(zh.Findings, c => c is >= '\u4e00' and <= '\u9fff');
                Assert.Contains(zh.Name, c => c is >= '\u4e00' and <= '\u9fff');
                Assert.DoesNotContain(en.Findings + en.Name + string.Concat(en.Fields.Select(f => f.Label)), c => c is >= '\u4e00' and <= '\u9fff');
            }
        }
    }

    [Theory]
    [InlineData("CT", "CHEST", "ct-chest-en,ct-chest-zh,generic-en,generic-zh")]
    [InlineData("ct", "thorax", "ct-chest-en,ct-chest-zh,generic-en,generic-zh")]
    [InlineData("CR", "CHEST", "dr-chest-en,dr-chest-zh,generic-en,generic-zh")]
    [InlineData("MR", "HEAD", "mr-brain-en,mr-brain-zh,generic-en,generic-zh")]
    [InlineData("MG", null, "mg-breast-en,mg-breast-zh,generic-en,generic-zh")]
    [InlineData("XA", "HEART", "generic-en,generic-zh")]
    public void Find_returns_the_study_templates_then_the_generic_ones(string? modality, string? bodyPart, string expected)
    {
        var found = Catalog.Find(modality, bodyPart).Select(t => t.Id).ToList();
        Assert.Equal(expected.Split(','), found);
    }

    [Fact]
    public void Find_without_criteria_lists_everything_and_can_keep_one_language()
    {
        Assert.Equal(Catalog.All.Count, Catalog.Find().Count);
        Assert.All(Catalog.Find(language: "zh-CN"), t => Assert.Equal("zh-CN", t.Language));
        Assert.Equal(Catalog.All.Count / 2, Catalog.Find(language: "en").Count);
    }

    [Theory]
    [InlineData("[{\"id\":\"a\",\"modality\":\"CT\",\"bodyPart\":\"HEAD\",\"language\":\"en\",\"name\":\"x\"},{\"id\":\"a\",\"modality\":\"CT\",\"bodyPart\":\"HEAD\",\"language\":\"zh-CN\",\"name\":\"y\"}]", "duplicate id")]
    [InlineData("[{\"id\":\"a\",\"modality\":\"CT\",\"bodyPart\":\"HEAD\",\"name\":\"x\"}]", "lacks")]
    [InlineData("[{\"id\":\"a\",\"modality\":\"CT\",\"bodyPart\":\"HEAD\",\"language\":\"en\",\"name\":\"x\",\"fields\":[{\"label\":\"l\"}]}]", "no key")]
    [InlineData("{not json", "invalid JSON")]
    public void A_broken_catalogue_is_refused_with_the_reason(string json, string reason)
    {
        var ex = Assert.Throws<ReportException>(() => ReportTemplateCatalog.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}
