export * from './chromium.mjs';
export * from './dicom.mjs';
export * from './files.mjs';
export * from './jpeg.mjs';
export * from './pdf.mjs';
export * from './ct.mjs';
export * from './dicom-study.mjs';
export * from './orthanc.mjs';
