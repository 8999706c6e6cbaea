using RadBridge.Dicom.Network.Pdu;

namespace RadBridge.Dicom.Network.Association;

/// <summary>A presentation context as the association settled it: what was proposed and what the acceptor answered.</summary>
public sealed record NegotiatedPresentationContext(byte Id, string AbstractSyntax, PresentationContextResult Result, DicomTransferSyntax? TransferSyntax)
{
    public bool IsAccepted => Result == PresentationContextResult.Acceptance && TransferSyntax is not null;
}

/// <summary>Builds the presentation contexts of an A-ASSOCIATE-RQ, numbering them 1, 3, 5, … (PS3.8 §9.3.2.2: odd, at most 128).</summary>
public sealed class PresentationContextProposal
{
    private readonly List<PresentationContextRequest> _contexts = [];

    public IReadOnlyList<PresentationContextRequest> Contexts => _contexts;

    /// <summary>SCP/SCU Role Selection items to propose (PS3.7 D.3.3.4), e.g. the SCP role for storage when using C-GET.</summary>
    public IList<RoleSelection> RoleSelections { get; } = [];

    /// <summary>Adds a context unless one with the same abstract syntax and transfer syntaxes is there already.</summary>
    /// <exception cref="DicomNetworkException">More than 128 contexts.</exception>
    public PresentationContextProposal Add(string abstractSyntax, params IEnumerable<string> transferSyntaxes)
    {
        var syntaxes = transferSyntaxes.Distinct(StringComparer.Ordinal).ToArray();
        if (_contexts.Any(c => c.AbstractSyntax == abstractSyntax && c.TransferSyntaxes.SequenceEqual(syntaxes))) return this;
        if (_contexts.Count == 128) throw new DicomNetworkException("more than 128 presentation contexts in one association (PS3.8 §9.3.2.2)");
        _contexts.Add(new PresentationContextRequest((byte)(2 * _contexts.Count + 1), abstractSyntax, syntaxes));
        return this;
    }
}
