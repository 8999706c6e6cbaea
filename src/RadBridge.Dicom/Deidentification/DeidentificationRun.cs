using System.Collections.Frozen;

namespace RadBridge.Dicom.Deidentification;

/// <summary>
/// De-identifies one data set: applies Table E.1-1 to every attribute, nested ones included, then the rules for
/// attributes the table does not list (see <see cref="DicomDeidentifier"/> for what they are and why).
/// </summary>
internal sealed class DeidentificationRun
{
    private static readonly DicomTag PatientNameTag = new(0x0010, 0x0010);
    private static readonly DicomTag PatientIdTag = new(0x0010, 0x0020);

    // UIDs the table does not list that name kinds of things rather than instances (SOP classes, transfer syntaxes,
    // coding schemes, resources): replacing them would break the object, and they identify no one.
    private static readonly FrozenSet<uint> ClassUidTags = new uint[]
    {
        0x00000002, 0x00000003, 0x00041510, 0x00041512, 0x0004151A, 0x00080016, 0x0008001A, 0x0008001B, 0x00080062,
        0x0008010C, 0x0008010D, 0x00080118, 0x00081150, 0x04000010, 0x04000510,
    }.ToFrozenSet();

    // Attributes of code sequence items (PS3.3 Table 8.8-1) and template identification: kept inside a sequence
    // being replaced by dummies, so the codes stay valid; codes name concepts, not people.
    private static readonly FrozenSet<uint> CodeItemTags = new uint[]
    {
        0x00080100, 0x00080102, 0x00080103, 0x00080104, 0x00080105, 0x00080106, 0x00080107, 0x0008010B, 0x0008010F,
        0x00080117, 0x00080119, 0x00080120, 0x00080122, 0x0040DB00, 0x0040DB06, 0x0040DB07,
    }.ToFrozenSet();

    // Identifiers of codes (Code Value, Coding Scheme Designator and Version, Long Code Value): they name concepts,
    // and changing one breaks the code, so the search for identifying values does not touch them.
    private static readonly FrozenSet<uint> CodeIdentifierTags = new uint[] { 0x00080100, 0x00080102, 0x00080103, 0x00080119 }.ToFrozenSet();

    // Date-times that version coding schemes and templates: not temporal information about the patient.
    private static readonly FrozenSet<uint> VersionDateTags = new uint[] { 0x00080106, 0x00080107, 0x0040DB06, 0x0040DB07 }.ToFrozenSet();

    private readonly DicomDeidentifier _owner;
    private readonly DeidentificationOptions _o;
    private readonly IReadOnlySet<ConfidentialityProfileOption> _enabled;
    private readonly ConfidentialityProfile _profile;
    private readonly List<string> _tokens = [];
    private int _shiftDays;
    private int _removed, _changed, _uids, _shifted, _added;

    public DeidentificationRun(DicomDeidentifier owner)
    {
        _owner = owner;
        _o = owner.Options;
        _enabled = _o.EnabledOptions();
        _profile = owner.Profile;
    }

    public DatasetDeidentificationResult Run(DicomDataset root)
    {
        // A DICOMDIR indexes files by byte offsets and by file IDs that often embed the patient ID: it is rebuilt
        // for the de-identified files, not de-identified itself (its records would also need other Types).
        if (root.Contains(new DicomTag(0x0004, 0x1220)))
            throw new DicomException("a DICOMDIR (Directory Record Sequence) is not de-identified: build a new one for the de-identified files");
        var patientKey = root.GetString(PatientIdTag) is { Length: > 0 } id ? "ID:" + id : "NAME:" + (root.GetString(PatientNameTag) ?? "");
        _shiftDays = _o.RetainLongitudinalModifiedDates ? _owner.DateShiftFor(patientKey) : 0;
        CollectIdentifyingValues(root);
        Process(root, dummyMode: false);
        AddMethodAttributes(root);
        return new DatasetDeidentificationResult
        {
            Removed = _removed,
            Changed = _changed,
            UidsReplaced = _uids,
            DatesShifted = _shifted,
            Added = _added,
            DateShiftDays = _shiftDays,
        };
    }

    private void Process(DicomDataset ds, bool dummyMode)
    {
        var overlayGroups = new HashSet<ushort>();
        foreach (var e in ds.ToList())
        {
            if (e.Tag.IsPrivate) continue;
            var row = _profile.Find(e.Tag);
            if (row is null) ApplyUnlisted(ds, e, dummyMode);
            else Apply(ds, e, row, row.Resolve(_enabled), dummyMode, overlayGroups);
        }
        RemovePrivate(ds);
        // Overlay Data (60xx,3000) is Type 1 in the Overlay Plane Module: without it the rest of the group would
        // describe an overlay that is not there, so the whole group goes (the module is optional in every IOD).
        if (overlayGroups.Count > 0) _removed += ds.RemoveAll(x => overlayGroups.Contains(x.Tag.Group));
    }

    private void Apply(DicomDataset ds, DicomElement e, ConfidentialityProfileRow row, DeidentificationAction action, bool dummyMode, HashSet<ushort> overlayGroups)
    {
        switch (Concrete(action, e))
        {
            case DeidentificationAction.Keep:
                if (e is DicomSequence keep) Recurse(keep, dummyMode);
                break;
            case DeidentificationAction.Remove:
                ds.Remove(e.Tag);
                _removed++;
                if ((e.Tag.Group & 0xFF00) == 0x6000 && e.Tag.Element == 0x3000) overlayGroups.Add(e.Tag.Group);
                break;
            case DeidentificationAction.Zero:
                Zero(ds, e);
                break;
            case DeidentificationAction.Dummy:
                if (e is DicomSequence codes && row.Name.EndsWith("Code Sequence", StringComparison.Ordinal)) DummyCodes(codes);
                else Dummy(ds, e);
                break;
            case DeidentificationAction.ReplaceUid:
                ReplaceUids(ds, e);
                break;
            case DeidentificationAction.RemoveOrZeroOrReplaceUids:
                // U*: a reference sequence is kept and the UIDs inside it are replaced (by their own U rows), so
                // references to other de-identified instances still resolve.
                if (e is DicomSequence refs) Recurse(refs, dummyMode);
                else Zero(ds, e);
                break;
            case DeidentificationAction.Clean:
                Clean(ds, e, row, dummyMode, overlayGroups);
                break;
            default:
                throw new InvalidOperationException($"unexpected action {action} for {e.Tag}");
        }
    }

    // Compound actions without the IOD's Type at hand: the choice that is valid whatever the Type is. Z is valid for
    // Type 2 and 3; a dummy for Type 1, 2 and 3; an empty original is kept empty (it was not a valid Type 1 value).
    // Attributes Table E.1-1 removes (X) although an IOD makes them Type 2, so removing them leaves an invalid
    // instance: emptied instead, which discloses as little. Treatment Machine Name is Type 2 in the RT Beams and RT
    // Brachy Application Setups modules (PS3.3 C.8.8.14, C.8.8.15); dciodvfy reports its removal from an RT Plan.
    private static readonly HashSet<DicomTag> RemovedButType2 = [new DicomTag(0x300A, 0x00B2)];

    private static DeidentificationAction Concrete(DeidentificationAction action, DicomElement e) => action switch
    {
        DeidentificationAction.Remove when RemovedButType2.Contains(e.Tag) => DeidentificationAction.Zero,
        DeidentificationAction.RemoveOrZero => DeidentificationAction.Zero,
        DeidentificationAction.ZeroOrDummy or DeidentificationAction.RemoveOrDummy or DeidentificationAction.RemoveOrZeroOrDummy =>
            IsEmpty(e) ? DeidentificationAction.Zero : DeidentificationAction.Dummy,
        _ => action,
    };

    private static bool IsEmpty(DicomElement e) => e switch
    {
        DicomSequence s => s.Items.Count == 0,
        DicomValueElement v => v.Length == 0,
        _ => false,
    };

    private void Zero(DicomDataset ds, DicomElement e)
    {
        if (IsEmpty(e)) return;
        if (e.Tag == PatientNameTag && e is DicomValueElement)
        {
            SetText(ds, e, DicomVR.PN, _o.PatientName);
            return;
        }
        if (e.Tag == PatientIdTag && e is DicomValueElement)
        {
            SetText(ds, e, DicomVR.LO, _o.PatientId ?? _owner.PseudonymFor(ds.GetString(PatientIdTag) ?? ""));
            return;
        }
        switch (e)
        {
            case DicomSequence s:
                s.Items.Clear();
                _changed++;
                break;
            case DicomValueElement v:
                ds.AddOrUpdate(new DicomValueElement(v.Tag, ResolveVR(v), DicomBuffer.Empty));
                _changed++;
                break;
            default:
                ds.Remove(e.Tag);
                _removed++;
                break;
        }
    }

    private void Dummy(DicomDataset ds, DicomElement e)
    {
        if (e is DicomSequence s)
        {
            Recurse(s, dummyMode: true);
            return;
        }
        if (e is not DicomValueElement v) return;
        var vr = ResolveVR(v);
        if (vr == DicomVR.UI)
        {
            if (v.Length > 0) ReplaceUids(ds, e);
            else SetText(ds, e, DicomVR.UI, DicomUid.Generate().Value);
            return;
        }
        if (e.Tag == PatientNameTag)
        {
            SetText(ds, e, DicomVR.PN, _o.PatientName);
            return;
        }
        if (DeidentificationValues.DummyFor(vr) is { } text)
        {
            SetText(ds, e, vr, text);
            return;
        }
        // CS values are defined terms an IOD checks and identify no one; AT names attributes: both are kept.
        if (vr is DicomVR.CS or DicomVR.AT && v.Length > 0) return;
        ds.AddOrUpdate(new DicomValueElement(v.Tag, vr, DicomBuffer.FromMemory(DeidentificationValues.DummyBinary(vr, v.Length))));
        _changed++;
    }

    // A code sequence that is itself identifying (Institution Code Sequence, Person Identification Code Sequence):
    // its codes name the institution or the person, so each item becomes one dummy code of a private scheme.
    private void DummyCodes(DicomSequence s)
    {
        foreach (var item in s.Items)
        {
            item.Clear();
            item.AddOrUpdate(new DicomTag(0x0008, 0x0100), DicomVR.SH, "0");
            item.AddOrUpdate(new DicomTag(0x0008, 0x0102), DicomVR.SH, DeidentificationValues.DummyCodingScheme);
            item.AddOrUpdate(new DicomTag(0x0008, 0x0104), DicomVR.LO, DeidentificationValues.DummyText);
            _changed++;
        }
    }

    private void ReplaceUids(DicomDataset ds, DicomElement e)
    {
        if (e is DicomSequence s)
        {
            Recurse(s, dummyMode: false);
            return;
        }
        if (e is not DicomValueElement v || v.Length == 0) return;
        var values = ReadText(ds, v, DicomVR.UI).Split('\\');
        var mapped = false;
        for (var i = 0; i < values.Length; i++)
        {
            var uid = values[i].Trim(' ', '\0');
            if (uid.Length == 0) continue;
            values[i] = _owner.UidMapper.Map(uid);
            mapped = true;
        }
        if (!mapped) return;
        ds.AddOrUpdate(v.Tag, DicomVR.UI, values);
        _changed++;
        _uids++;
    }

    private void Clean(DicomDataset ds, DicomElement e, ConfidentialityProfileRow row, bool dummyMode, HashSet<ushort> overlayGroups)
    {
        if (e is DicomSequence s)
        {
            // A cleaned sequence keeps its items; what is in them is de-identified attribute by attribute.
            Recurse(s, dummyMode);
            return;
        }
        if (e is DicomValueElement v)
        {
            var vr = ResolveVR(v);
            if (_o.RetainLongitudinalModifiedDates && vr is DicomVR.DA or DicomVR.DT or DicomVR.TM)
            {
                ShiftOrDummy(ds, v, vr);
                return;
            }
            if (_o.RetainLongitudinalModifiedDates && row.OptionActions.TryGetValue(ConfidentialityProfileOption.RetainLongitudinalModifiedDates, out var c)
                && c == DeidentificationAction.Clean && vr == DicomVR.SH)
            {
                return; // Timezone Offset From UTC: an offset, not a date; kept so shifted date-times keep their zone.
            }
            if (IsFreeText(vr) || vr == DicomVR.PN)
            {
                if (v.Length == 0) return;
                var text = ReadText(ds, v, vr);
                var cleaned = _o.DescriptorCleaner is { } cleaner ? cleaner(v.Tag, text) : ContainsIdentifyingValue(text) ? null : text;
                if (cleaned is not null)
                {
                    if (cleaned != text) SetText(ds, e, vr, cleaned);
                    return;
                }
            }
        }
        // What cannot be cleaned (overlay and curve bitmaps, binary time stamps, text that held an identifying value)
        // gets the Basic Profile action: the option promises clean content, and removing or replacing it is clean.
        Apply(ds, e, row, row.BasicProfile, dummyMode, overlayGroups);
    }

    private void ApplyUnlisted(DicomDataset ds, DicomElement e, bool dummyMode)
    {
        if (e is DicomSequence s)
        {
            Recurse(s, dummyMode);
            return;
        }
        if (e is not DicomValueElement v || v.Length == 0) return;
        var vr = ResolveVR(v);
        switch (vr)
        {
            case DicomVR.DA or DicomVR.DT or DicomVR.TM:
                if (_o.RetainLongitudinalFullDates || VersionDateTags.Contains(v.Tag.Value)) return;
                if (_o.RetainLongitudinalModifiedDates) ShiftOrDummy(ds, v, vr);
                else SetText(ds, e, vr, DeidentificationValues.DummyFor(vr)!);
                return;
            case DicomVR.UI:
                if (_o.RetainUids || ClassUidTags.Contains(v.Tag.Value)) return;
                if (ReadText(ds, v, vr).Split('\\').All(u => u.Trim(' ', '\0') is var t && (t.Length == 0 || t.StartsWith("1.2.840.10008.", StringComparison.Ordinal)))) return;
                ReplaceUids(ds, e);
                return;
            case DicomVR.PN:
                SetText(ds, e, vr, DeidentificationValues.DummyPersonName);
                return;
            default:
                if (!IsFreeText(vr) || CodeIdentifierTags.Contains(v.Tag.Value)) return;
                if ((dummyMode && !CodeItemTags.Contains(v.Tag.Value)) || ContainsIdentifyingValue(ReadText(ds, v, vr)))
                    SetText(ds, e, vr, DeidentificationValues.DummyText);
                return;
        }
    }

    private void ShiftOrDummy(DicomDataset ds, DicomValueElement v, DicomVR vr)
    {
        if (v.Length == 0 || vr == DicomVR.TM) return; // times of day are kept: only the dates move
        var shifted = DeidentificationValues.ShiftDates(ReadText(ds, v, vr), vr, _shiftDays);
        if (shifted is null)
        {
            SetText(ds, v, vr, DeidentificationValues.DummyFor(vr)!);
            return;
        }
        ds.AddOrUpdate(v.Tag, vr, shifted);
        _changed++;
        _shifted++;
    }

    private void RemovePrivate(DicomDataset ds)
    {
        var keep = new HashSet<DicomTag>();
        if (_o.RetainSafePrivate && _o.SafePrivateAttributes.Count > 0)
        {
            foreach (var e in ds)
            {
                if (!e.Tag.IsPrivate || e.Tag.IsPrivateCreator || e.Tag.Element < 0x1000) continue;
                var creator = ds.GetPrivateCreator(e.Tag);
                if (creator is null) continue;
                if (_o.SafePrivateAttributes.Contains(new SafePrivateAttribute(e.Tag.Group, creator, (byte)e.Tag.Element)))
                {
                    keep.Add(e.Tag);
                    keep.Add(e.Tag.PrivateCreatorTag);
                }
            }
        }
        _removed += ds.RemoveAll(x => x.Tag.IsPrivate && !keep.Contains(x.Tag));
    }

    private void Recurse(DicomSequence s, bool dummyMode)
    {
        foreach (var item in s.Items) Process(item, dummyMode);
    }

    private void SetText(DicomDataset ds, DicomElement original, DicomVR vr, string value)
    {
        if (original is DicomValueElement v && v.VR == vr && ReadText(ds, v, vr) == value) return;
        ds.AddOrUpdate(original.Tag, vr, value);
        _changed++;
    }

    private static string ReadText(DicomDataset ds, DicomValueElement v, DicomVR vr) =>
        DicomTextRules.TrimValue(ds.TextEncoding.Decode(v.Buffer.GetMemory().Span, vr), vr);

    private static bool IsFreeText(DicomVR vr) => vr is DicomVR.LO or DicomVR.SH or DicomVR.ST or DicomVR.LT or DicomVR.UT or DicomVR.UC;

    // An element read without its VR (implicit VR before the dictionary knew it) is handled by its dictionary VR.
    private static DicomVR ResolveVR(DicomValueElement v) =>
        v.VR != DicomVR.UN ? v.VR : DicomDictionary.Default.Find(v.Tag)?.VR is { } d && d != DicomVR.None ? d : DicomVR.UN;

    private bool ContainsIdentifyingValue(string text)
    {
        foreach (var token in _tokens)
        {
            if (text.Contains(token, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    // The values the profile takes out (names, IDs, dates, places…), to find them again in text it keeps: a
    // description that repeats the patient's name is cleaned like the name itself.
    private void CollectIdentifyingValues(DicomDataset ds)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Collect(ds, set);
        _tokens.AddRange(set.OrderByDescending(t => t.Length));
    }

    private void Collect(DicomDataset ds, HashSet<string> into)
    {
        foreach (var e in ds)
        {
            if (e is DicomSequence s)
            {
                foreach (var item in s.Items) Collect(item, into);
                continue;
            }
            if (e is not DicomValueElement v || v.Length == 0 || v.Tag.IsPrivate || v.Buffer.IsLazy) continue;
            var vr = ResolveVR(v);
            if (!(IsFreeText(vr) || vr is DicomVR.PN or DicomVR.DA or DicomVR.DT or DicomVR.AE)) continue;
            var row = _profile.Find(v.Tag);
            bool goes;
            if (row is null)
            {
                goes = vr == DicomVR.PN || (vr is DicomVR.DA or DicomVR.DT && !_o.RetainLongitudinalFullDates && !VersionDateTags.Contains(v.Tag.Value));
            }
            else
            {
                var action = row.Resolve(_enabled);
                goes = action != DeidentificationAction.Keep && (action != DeidentificationAction.Clean || vr is DicomVR.DA or DicomVR.DT);
            }
            if (!goes) continue;
            foreach (var value in ReadText(ds, v, vr).Split('\\'))
            {
                AddToken(into, value);
                if (vr != DicomVR.PN) continue;
                foreach (var component in value.Split('=', '^')) AddToken(into, component);
            }
        }
    }

    private static void AddToken(HashSet<string> into, string value)
    {
        var t = value.Trim();
        // Shorter values ("M", "CT", "1") would match ordinary words and numbers everywhere.
        if (t.Length >= 4 || (t.Length == 3 && t.Any(char.IsLetter) && t.Any(char.IsDigit))) into.Add(t);
    }

    private void AddMethodAttributes(DicomDataset root)
    {
        root.AddOrUpdate(new DicomTag(0x0012, 0x0062), DicomVR.CS, "YES");
        var options = _enabled.OrderBy(o => o.Code().Value, StringComparer.Ordinal).ToList();
        var methods = new List<string> { ConfidentialityProfileCodes.BasicProfileMeaning };
        methods.AddRange(options.Select(o => o.Code().Meaning));
        root.AddOrUpdate(new DicomTag(0x0012, 0x0063), DicomVR.LO, [.. methods]);
        var items = new List<DicomDataset> { CodeItem(ConfidentialityProfileCodes.BasicProfileCode, ConfidentialityProfileCodes.BasicProfileMeaning) };
        items.AddRange(options.Select(o => CodeItem(o.Code().Value, o.Code().Meaning)));
        root.AddOrUpdate(new DicomSequence(new DicomTag(0x0012, 0x0064), items));
        var temporal = _o.RetainLongitudinalFullDates ? "UNMODIFIED" : _o.RetainLongitudinalModifiedDates ? "MODIFIED" : "REMOVED";
        root.AddOrUpdate(new DicomTag(0x0028, 0x0303), DicomVR.CS, temporal);
        _added += 4;
    }

    private static DicomDataset CodeItem(string value, string meaning)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(new DicomTag(0x0008, 0x0100), DicomVR.SH, value);
        item.AddOrUpdate(new DicomTag(0x0008, 0x0102), DicomVR.SH, ConfidentialityProfileCodes.Scheme);
        item.AddOrUpdate(new DicomTag(0x0008, 0x0104), DicomVR.LO, meaning);
        return item;
    }
}
