using RadBridge.Dicom.Network.Dimse;

namespace RadBridge.Dicom.Network.Services.Query;

/// <summary>The Query/Retrieve SOP classes of PS3.4 Annex C (Patient Root and Study Root; FIND, MOVE, GET).</summary>
public static class QueryRetrieveSopClasses
{
    public const string PatientRootFind = "1.2.840.10008.5.1.4.1.2.1.1";
    public const string PatientRootMove = "1.2.840.10008.5.1.4.1.2.1.2";
    public const string PatientRootGet = "1.2.840.10008.5.1.4.1.2.1.3";
    public const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";
    public const string StudyRootMove = "1.2.840.10008.5.1.4.1.2.2.2";
    public const string StudyRootGet = "1.2.840.10008.5.1.4.1.2.2.3";

    /// <summary>The information model of a Q/R SOP class, or null when it is not one of ours.</summary>
    public static QueryModel? ModelOf(string sopClassUid) => sopClassUid switch
    {
        PatientRootFind or PatientRootMove or PatientRootGet => QueryModel.PatientRoot,
        StudyRootFind or StudyRootMove or StudyRootGet => QueryModel.StudyRoot,
        _ => null,
    };

    /// <summary>The SOP class of an operation on a model.</summary>
    public static string For(QueryModel model, DimseCommandField operation) => (model, operation) switch
    {
        (QueryModel.PatientRoot, DimseCommandField.CFindRequest) => PatientRootFind,
        (QueryModel.PatientRoot, DimseCommandField.CMoveRequest) => PatientRootMove,
        (QueryModel.PatientRoot, DimseCommandField.CGetRequest) => PatientRootGet,
        (QueryModel.StudyRoot, DimseCommandField.CFindRequest) => StudyRootFind,
        (QueryModel.StudyRoot, DimseCommandField.CMoveRequest) => StudyRootMove,
        (QueryModel.StudyRoot, DimseCommandField.CGetRequest) => StudyRootGet,
        _ => throw new ArgumentException($"{operation.Name()} is not a Query/Retrieve operation", nameof(operation)),
    };
}
