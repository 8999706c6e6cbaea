using System.Globalization;
using System.Text;
using RadBridge.Reporting.Pdf;

namespace RadBridge.Reporting.Tests;

/// <summary>The report PDF as poppler reads it: text in Chinese and English, pages, marks, fonts.</summary>
public sealed class PdfRenderingTests
{
    private static readonly ReportPdfRenderer Renderer = new();

    [Fact]
    public async Task Chinese_and_English_findings_patient_and_signature_are_in_the_text()
    {
        var pdf = Renderer.Render(ReportSamples.Subject(), ReportSamples.Report());
        var text = ExternalTools.Squeeze(await ExternalTools.PdfTextAsync(pdf));
        foreach (var expected in new[]
        {
            ReportSamples.ChineseFindings, ReportSamples.EnglishFindings, "ZhangWei/张伟", "PID-0042", "ACC-7781", "1965-04-12",
            "咳嗽两周，排除肺炎。", "Lung-RADS分类2", "右肺上叶磨玻璃结节，建议12个月后复查。", "李明(dr.li)", "市人民医院影像中心CityImagingCentre",
            "影像诊断报告", "影像所见", "诊断意见", "第1页，共1页",
        })
        {
            Assert.Contains(ExternalTools.Squeeze(expected), text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("初步报告", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_is_A4_and_fonts_are_embedded_subsets()
    {
        var pdf = Renderer.Render(ReportSamples.Subject(), ReportSamples.Report());
        var info = await ExternalTools.PdfInfoAsync(pdf);
        Assert.Equal("595 x 842 pts (A4)", info["Page size"]);
        // Subsetting keeps a report small although the CJK font file is 4 MB.
        Assert.InRange(pdf.Length, 1_000, 400_000);
    }

    [Fact]
    public async Task Long_findings_wrap_over_pages_without_losing_a_line()
    {
        var findings = new StringBuilder();
        for (var i = 1; i <= 120; i++)
        {
            findings.Append(CultureInfo.InvariantCulture, $"第{i}段：右肺下叶见条索影，考虑陈旧性病变。Paragraph {i}: linear opacity in the right lower lobe, likely old scarring, unchanged from the prior study.\n");
        }
        var pdf = Renderer.Render(ReportSamples.Subject(), ReportSamples.Report(findings: findings.ToString()));
        var info = await ExternalTools.PdfInfoAsync(pdf);
        var pages = int.Parse(info["Pages"], CultureInfo.InvariantCulture);
        Assert.InRange(pages, 4, 40);

        var text = ExternalTools.Squeeze(await ExternalTools.PdfTextAsync(pdf));
        for (var i = 1; i <= 120; i++)
        {
            Assert.Contains($"第{i}段：右肺下叶见条索影，考虑陈旧性病变。Paragraph{i}:", text, StringComparison.Ordinal);
        }
        Assert.Contains($"第{pages}页，共{pages}页", text, StringComparison.Ordinal);
        // The signature follows the findings on the last page.
        Assert.True(text.LastIndexOf("李明(dr.li)", StringComparison.Ordinal) > text.LastIndexOf("Paragraph120", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_word_wider_than_the_page_is_cut_not_lost()
    {
        var word = string.Concat(Enumerable.Repeat("ABCDEFGHIJ", 40));
        var pdf = Renderer.Render(ReportSamples.Subject(), ReportSamples.Report(findings: "Accession " + word + " end"));
        var text = ExternalTools.Squeeze(await ExternalTools.PdfTextAsync(pdf));
        Assert.Contains(word + "end", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_text_renders_in_bounded_time()
    {
        // The longest text allowed as one unbroken word, emoji (in neither face), a lone surrogate, control characters.
        var word = new string('Ж', ReportPdfRenderer.MaxTextLength);
        var odd = "emoji 😀 lone \ud800 surrogate, bell \u0007 tab\tend 完";
        var started = System.Diagnostics.Stopwatch.StartNew();
        var pdf = Renderer.Render(ReportSamples.Subject(), ReportSamples.Report(findings: word) with { Impression = odd });
        // A hang guard, not a benchmark: quadratic wrapping of this word took minutes.
        Assert.InRange(started.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(60));
        var text = ExternalTools.Squeeze(await ExternalTools.PdfTextAsync(pdf));
        Assert.Equal(ReportPdfRenderer.MaxTextLength, text.Count(c => c == 'Ж'));
        Assert.Contains("surrogate,belltabend完", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_over_the_limits_is_refused_naming_the_field()
    {
        var tooLong = new string('x', ReportPdfRenderer.MaxTextLength + 1);
        var ex = Assert.Throws<ReportException>(() => Renderer.Render(ReportSamples.Subject(), ReportSamples.Report() with { Impression = tooLong }));
        Assert.Contains("impression", ex.Message, StringComparison.Ordinal);
        var fields = Enumerable.Range(0, ReportPdfRenderer.MaxFields + 1).Select(i => new ReportField($"k{i}", "l", "v")).ToList();
        Assert.Throws<ReportException>(() => Renderer.Render(ReportSamples.Subject(), ReportSamples.Report() with { Fields = fields }));
    }

    [Fact]
    public async Task Preliminary_report_is_marked_on_top_and_in_every_footer()
    {
        var english = ReportSamples.Report(ReportStatus.Preliminary) with { Language = "en" };
        var text = await ExternalTools.PdfTextAsync(Renderer.Render(ReportSamples.Subject(), english));
        Assert.True(CountOf(text, "PRELIMINARY REPORT") >= 2, text);
        Assert.Contains("Diagnostic Imaging Report", text, StringComparison.Ordinal);
        Assert.Contains("Findings", text, StringComparison.Ordinal);

        var chinese = await ExternalTools.PdfTextAsync(Renderer.Render(ReportSamples.Subject(), ReportSamples.Report(ReportStatus.Preliminary)));
        Assert.Contains("初步报告", chinese, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Amendment_shows_its_version_and_reason()
    {
        var report = ReportSamples.Report(version: 2, amendmentReason: "补充左肺结节描述 Added the left lung nodule") with { Language = "en" };
        var text = ExternalTools.Squeeze(await ExternalTools.PdfTextAsync(Renderer.Render(ReportSamples.Subject(), report)));
        Assert.Contains("AMENDEDREPORT-version2", text, StringComparison.Ordinal);
        Assert.Contains("Reasonforamendment", text, StringComparison.Ordinal);
        Assert.Contains("补充左肺结节描述Addedtheleftlungnodule", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Critical_finding_is_marked()
    {
        var report = ReportSamples.Report() with { Critical = true, Language = "en" };
        var text = await ExternalTools.PdfTextAsync(Renderer.Render(ReportSamples.Subject(), report));
        Assert.Contains("CRITICAL FINDING", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_font_names_the_debian_package_to_install()
    {
        var fonts = ReportFonts.Debian with { Cjk = new FontFile("/nonexistent/fonts/NoSuchCjk.ttf", "fonts-no-such-cjk") };
        var ex = Assert.Throws<ReportException>(() => new ReportPdfRenderer(fonts).Render(ReportSamples.Subject(), ReportSamples.Report()));
        Assert.Contains("fonts-no-such-cjk", ex.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/fonts/NoSuchCjk.ttf", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<DicomException>(ex);
    }

    [Fact]
    public void An_empty_report_is_refused()
    {
        var report = ReportSamples.Report(findings: " ") with { Impression = "" };
        Assert.Throws<ReportException>(() => Renderer.Render(ReportSamples.Subject(), report));
    }

    [Fact]
    public void Text_is_split_into_cjk_and_latin_runs()
    {
        Assert.Equal([("Nodule ", false), ("结节", true), (" 6 mm", false), ("，", true)], ReportTypeface.Runs("Nodule 结节 6 mm，").ToArray());
        Assert.Equal(["右", "肺", " 6", " mm"], ReportTypeface.Tokens("右肺 6 mm").ToArray());
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
