// The API tests' upload fixtures come from the shared test kit (libs/test-support).
export {
  chestXrayDicom,
  deflatedDicom,
  labReportPdf,
  labResultsJson,
  tinyJpeg,
  tinyPng,
  windowsExecutable,
} from '@caunoi/test-support';
