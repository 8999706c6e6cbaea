using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace RadBridge.Reporting.Pdf;

/// <summary>
/// Lays report content top to bottom on A4 pages, starting a new page whenever the next line does not fit above the
/// footer. Every block is measured before it is drawn, so nothing is cut at a page edge.
/// </summary>
internal sealed class PageFlow : IDisposable
{
    internal const double Margin = 50;
    private const double FooterSpace = 24;
    private readonly PdfDocument _document;
    private XGraphics _g = null!;
    private PdfPage _page = null!;
    private double _y;

    public PageFlow(PdfDocument document, ReportFonts fonts)
    {
        _document = document;
        Title = new ReportTypeface(fonts, 16, bold: true);
        Subtitle = new ReportTypeface(fonts, 12, bold: false);
        Heading2 = new ReportTypeface(fonts, 11, bold: true);
        Body = new ReportTypeface(fonts, 10, bold: false);
        Bold = new ReportTypeface(fonts, 10, bold: true);
        Small = new ReportTypeface(fonts, 8, bold: false);
        NewPage();
    }

    public ReportTypeface Title { get; }
    public ReportTypeface Subtitle { get; }
    public ReportTypeface Heading2 { get; }
    public ReportTypeface Body { get; }
    public ReportTypeface Bold { get; }
    public ReportTypeface Small { get; }

    private double Width => _page.Width.Point - 2 * Margin;
    private double Bottom => _page.Height.Point - Margin - FooterSpace;

    private void NewPage()
    {
        _g?.Dispose();
        _page = _document.AddPage();
        _page.Size = PageSize.A4;
        _g = XGraphics.FromPdfPage(_page);
        _y = Margin;
    }

    /// <summary>Starts a new page unless <paramref name="height"/> more points fit on this one.</summary>
    public void KeepTogether(double height)
    {
        if (_y + height > Bottom && _y > Margin) NewPage();
    }

    public void Space(double points) => _y += points;

    /// <summary>A paragraph in <paramref name="face"/>, wrapped to the page width, over pages when long.</summary>
    public void Line(string text, ReportTypeface face, XBrush brush, double indent = 0)
    {
        foreach (var line in face.Wrap(_g, text, Width - indent))
        {
            KeepTogether(face.LineHeight);
            face.Draw(_g, line, brush, Margin + indent, _y);
            _y += face.LineHeight;
        }
    }

    public void Heading(string text)
    {
        Space(8);
        // A heading is never left alone at the bottom of a page: it moves with the first two lines after it.
        KeepTogether(Heading2.LineHeight + 2 * Body.LineHeight);
        Line(text, Heading2, XBrushes.Black);
        Space(2);
    }

    public void Section(string heading, string text)
    {
        Heading(heading);
        Line(text.Length == 0 ? "-" : text, Body, XBrushes.Black);
    }

    public void Rule()
    {
        Space(4);
        KeepTogether(1);
        _g.DrawLine(new XPen(XColors.Gray, 0.5), Margin, _y, Margin + Width, _y);
        Space(6);
    }

    /// <summary>A full-width coloured band with white text (preliminary, amended, critical).</summary>
    public void Banner(string text, XColor color)
    {
        var lines = Bold.Wrap(_g, text, Width - 12);
        var height = lines.Count * Bold.LineHeight + 8;
        Space(4);
        KeepTogether(height);
        _g.DrawRectangle(new XSolidBrush(color), Margin, _y, Width, height);
        var y = _y + 4;
        foreach (var line in lines)
        {
            Bold.Draw(_g, line, XBrushes.White, Margin + 6, y);
            y += Bold.LineHeight;
        }
        _y += height + 4;
    }

    /// <summary>Label/value pairs in <paramref name="columns"/> columns; each value wraps within its cell.</summary>
    public void Grid(IReadOnlyList<(string Label, string Value)> cells, int columns)
    {
        var cellWidth = Width / columns;
        var labelWidth = Math.Min(110, cellWidth * 0.4);
        for (var row = 0; row < cells.Count; row += columns)
        {
            var rowCells = cells.Skip(row).Take(columns).ToList();
            var wrapped = rowCells.Select(c => (Label: Bold.Wrap(_g, c.Label, labelWidth - 6), Value: Body.Wrap(_g, c.Value, cellWidth - labelWidth - 6))).ToList();
            var lineCount = wrapped.Max(w => Math.Max(w.Label.Count, w.Value.Count));
            // A row taller than a page (a very long value) is drawn line by line across pages instead of kept together.
            if (lineCount * Body.LineHeight > Bottom - Margin)
            {
                foreach (var (label, value) in rowCells) { Line(label, Bold, XBrushes.Black); Line(value, Body, XBrushes.Black, indent: 12); }
                continue;
            }
            KeepTogether(lineCount * Body.LineHeight + 2);
            for (var c = 0; c < wrapped.Count; c++)
            {
                var x = Margin + c * cellWidth;
                for (var i = 0; i < wrapped[c].Label.Count; i++) Bold.Draw(_g, wrapped[c].Label[i], XBrushes.DimGray, x, _y + i * Body.LineHeight);
                for (var i = 0; i < wrapped[c].Value.Count; i++) Body.Draw(_g, wrapped[c].Value[i], XBrushes.Black, x + labelWidth, _y + i * Body.LineHeight);
            }
            _y += lineCount * Body.LineHeight + 2;
        }
    }

    public void Dispose() => _g?.Dispose();
}
