import * as dicomParserNs from 'dicom-parser';

// dicom-parser is a UMD bundle: depending on the bundler its API is the namespace or its default.
export const dicomParser = ((dicomParserNs as unknown as { default?: typeof dicomParserNs })
  .default ?? dicomParserNs) as typeof dicomParserNs;

export type DataSet = dicomParserNs.DataSet;
export type Element = dicomParserNs.Element;
