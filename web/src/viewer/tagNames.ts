// Names of the attributes the tags panel shows most often; others are shown by tag number only (the full data
// dictionary lives in the server's C# core, not worth shipping to every browser).
export const TAG_NAMES: Record<string, string> = {
  '00080008': 'Image Type', '00080016': 'SOP Class UID', '00080018': 'SOP Instance UID', '00080020': 'Study Date',
  '00080021': 'Series Date', '00080030': 'Study Time', '00080050': 'Accession Number', '00080060': 'Modality',
  '00080070': 'Manufacturer', '00080080': 'Institution Name', '00080090': 'Referring Physician',
  '00081030': 'Study Description', '0008103E': 'Series Description', '00081090': 'Manufacturer Model Name',
  '00100010': 'Patient Name', '00100020': 'Patient ID', '00100030': 'Patient Birth Date', '00100040': 'Patient Sex',
  '00101010': 'Patient Age', '00180015': 'Body Part Examined', '00180050': 'Slice Thickness', '00180060': 'KVP',
  '00180088': 'Spacing Between Slices', '00181151': 'X-Ray Tube Current', '00181210': 'Convolution Kernel',
  '00185100': 'Patient Position', '0020000D': 'Study Instance UID', '0020000E': 'Series Instance UID',
  '00200010': 'Study ID', '00200011': 'Series Number', '00200013': 'Instance Number', '00200032': 'Image Position (Patient)',
  '00200037': 'Image Orientation (Patient)', '00200052': 'Frame of Reference UID', '00201041': 'Slice Location',
  '00280002': 'Samples per Pixel', '00280004': 'Photometric Interpretation', '00280008': 'Number of Frames',
  '00280010': 'Rows', '00280011': 'Columns', '00280030': 'Pixel Spacing', '00280100': 'Bits Allocated',
  '00280101': 'Bits Stored', '00280102': 'High Bit', '00280103': 'Pixel Representation', '00281050': 'Window Center',
  '00281051': 'Window Width', '00281052': 'Rescale Intercept', '00281053': 'Rescale Slope', '00281054': 'Rescale Type',
  '00020010': 'Transfer Syntax UID', '00083002': 'Available Transfer Syntax UID', '7FE00010': 'Pixel Data',
};
