namespace RadBridge.Dicom.Tests.Dictionary;

public class DicomUidRegistryTests
{
    [Fact]
    public void CT_image_storage_is_a_SOP_class()
    {
        var info = DicomUidRegistry.Find("1.2.840.10008.5.1.4.1.1.2");
        Assert.NotNull(info);
        Assert.Equal("CTImageStorage", info.Keyword);
        Assert.Equal("CT Image Storage", info.Name);
        Assert.Equal(DicomUidType.SopClass, info.Type);
        Assert.False(info.IsRetired);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", DicomUids.CTImageStorage);
    }

    [Fact]
    public void Explicit_VR_little_endian_is_a_transfer_syntax()
    {
        var info = DicomUidRegistry.Find(DicomUids.ExplicitVRLittleEndian);
        Assert.NotNull(info);
        Assert.Equal("1.2.840.10008.1.2.1", info.Uid);
        Assert.Equal("Explicit VR Little Endian", info.Name);
        Assert.Equal(DicomUidType.TransferSyntax, info.Type);
        Assert.False(info.IsRetired);
    }

    [Fact]
    public void Retired_and_padded_and_unknown_UIDs()
    {
        Assert.True(DicomUidRegistry.Find(DicomUids.ExplicitVRBigEndian)!.IsRetired);
        Assert.Equal("ImplicitVRLittleEndian", DicomUidRegistry.Find("1.2.840.10008.1.2\0")?.Keyword);
        Assert.Null(DicomUidRegistry.Find("1.2.3.4"));
    }

    [Fact]
    public void Other_UID_types_are_registered_too()
    {
        Assert.Equal(DicomUidType.ApplicationContextName, DicomUidRegistry.Find("1.2.840.10008.3.1.1.1")?.Type);
        Assert.Equal(DicomUidType.WellKnownFrameOfReference, DicomUidRegistry.Find(DicomUids.TalairachBrainAtlas)?.Type);
        Assert.Equal(DicomUidType.CodingScheme, DicomUidRegistry.Find("1.2.840.10008.2.16.4")?.Type);
        Assert.Equal(DicomUidType.MetaSopClass, DicomUidRegistry.Find("1.2.840.10008.5.1.1.9")?.Type);
        var ldap = DicomUidRegistry.Find(DicomUids.DicomDeviceName);
        Assert.Equal(DicomUidType.LdapOid, ldap?.Type);
        Assert.Equal("dicomDeviceName", ldap?.Keyword);
    }

    [Fact]
    public void Registry_is_complete_and_in_UID_order()
    {
        var all = DicomUidRegistry.All;
        Assert.True(all.Count > 400, $"only {all.Count} UIDs");
        Assert.Equal(DicomUidRegistry.EntryCount, all.Count);
        var i91 = all.ToList().FindIndex(u => u.Uid == "1.2.840.10008.1.2.4.91");
        var i100 = all.ToList().FindIndex(u => u.Uid == "1.2.840.10008.1.2.4.100");
        Assert.True(i91 < i100);
    }

    [Fact]
    public void Curated_transfer_syntaxes_agree_with_the_registry()
    {
        // The curated table may be newer than the registry's edition; where both know a UID they must agree.
        var known = DicomTransferSyntax.All.Where(ts => DicomUidRegistry.Find(ts.Uid) is not null).ToList();
        Assert.True(known.Count > 30);
        foreach (var ts in known)
        {
            var info = DicomUidRegistry.Find(ts.Uid)!;
            Assert.Equal(DicomUidType.TransferSyntax, info.Type);
            Assert.Equal(ts.IsRetired, info.IsRetired);
        }
    }
}
