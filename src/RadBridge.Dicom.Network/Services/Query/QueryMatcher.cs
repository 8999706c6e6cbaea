namespace RadBridge.Dicom.Network.Services.Query;

/// <summary>
/// Matches a C-FIND identifier against candidate entities and builds the responses (PS3.4 C.2.2.2, C.4.1.3.1): every
/// matching key must match; the response holds exactly the keys of the identifier (empty ones filled from the
/// entity, sequences with the matching items cut to their requested keys), plus Query/Retrieve Level and the entity's
/// Specific Character Set.
/// </summary>
public sealed class QueryMatcher
{
    private readonly DicomDataset _identifier;
    private readonly MatchingOptions _options;
    private readonly DicomElement[] _keys;

    public QueryMatcher(DicomDataset identifier, QueryLevel level, MatchingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        _identifier = identifier;
        Level = level;
        _options = options ?? new MatchingOptions();
        _keys = [.. identifier.Where(e => e.Tag != QueryLevels.Level && e.Tag != QueryLevels.SpecificCharacterSet && !e.Tag.IsGroupLength)];
    }

    public QueryLevel Level { get; }

    /// <summary>True when the entity (its attributes, one data set) matches every key.</summary>
    public bool IsMatch(DicomDataset entity) => _keys.All(k => AttributeMatcher.Matches(_identifier, k, entity, _options));

    /// <summary>The response identifier for a matching entity.</summary>
    public DicomDataset BuildResponse(DicomDataset entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var response = new DicomDataset();
        if (entity.TryGetElement(QueryLevels.SpecificCharacterSet, out var charset)) response.Add(charset);
        response.AddOrUpdate(QueryLevels.Level, DicomVR.CS, Level.Code());
        foreach (var key in _keys)
        {
            if (key is DicomSequence sequence)
            {
                response.Add(ReturnSequence(sequence, entity));
            }
            else if (entity.TryGetElement(key.Tag, out var value) && value is DicomValueElement)
            {
                response.AddOrUpdate(value);
            }
            else
            {
                // Asked for but the entity has none: returned zero length (PS3.4 C.4.1.1.3.2).
                response.AddOrUpdate(key.Tag, key.VR, ReadOnlyMemory<byte>.Empty);
            }
        }
        return response;
    }

    private DicomSequence ReturnSequence(DicomSequence key, DicomDataset entity)
    {
        var result = new DicomSequence(key.Tag);
        if (entity.GetSequence(key.Tag) is not { } have) return result;
        var keyItem = key.Items.Count > 0 ? key.Items[0] : null;
        foreach (var item in have.Items)
        {
            if (keyItem is null || keyItem.Count == 0)
            {
                result.Items.Add(item.Clone()); // universal sequence key: the whole item
                continue;
            }
            if (!AttributeMatcher.MatchingItem(keyItem, item, _options)) continue;
            var returned = new DicomDataset();
            foreach (var k in keyItem)
            {
                if (item.TryGetElement(k.Tag, out var v) && v is DicomValueElement) returned.AddOrUpdate(v);
                else if (k is not DicomSequence) returned.AddOrUpdate(k.Tag, k.VR, ReadOnlyMemory<byte>.Empty);
            }
            result.Items.Add(returned);
        }
        return result;
    }
}
