using RadBridge.Dicom.Network.Pdu;

namespace RadBridge.Dicom.Network.Association;

/// <summary>
/// The acceptor's SCP/SCU Role Selection answer (PS3.7 D.3.3.4): for each SOP class proposed with a role item and
/// accepted in some presentation context, the proposed roles are accepted as proposed (we can be the storage SCU of a
/// C-GET as well as the SCP of anything we accept). Without this answer the requestor must assume the default roles
/// and a C-GET SCU could not receive the C-STORE sub-operations.
/// </summary>
internal static class RoleSelectionAnswer
{
    public static List<RoleSelection> For(IReadOnlyList<RoleSelection> proposed, IReadOnlyList<NegotiatedPresentationContext> negotiated)
    {
        var accepted = negotiated.Where(c => c.IsAccepted).Select(c => c.AbstractSyntax).ToHashSet(StringComparer.Ordinal);
        var answers = new List<RoleSelection>();
        foreach (var role in proposed)
        {
            if (!accepted.Contains(role.SopClassUid) || answers.Any(a => a.SopClassUid == role.SopClassUid)) continue;
            answers.Add(role);
        }
        return answers;
    }
}
