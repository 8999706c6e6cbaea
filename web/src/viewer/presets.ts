// Window/level presets for CT (Hounsfield units), keyboard 1-4 in the order given.
export interface WindowPreset {
  key: string;
  name: string;
  windowCenter: number;
  windowWidth: number;
}

export const CT_PRESETS: WindowPreset[] = [
  { key: '1', name: 'Brain', windowCenter: 40, windowWidth: 80 },
  { key: '2', name: 'Lung', windowCenter: -600, windowWidth: 1500 },
  { key: '3', name: 'Bone', windowCenter: 400, windowWidth: 1800 },
  { key: '4', name: 'Abdomen', windowCenter: 40, windowWidth: 400 },
];
