/**
 * Import from PACS in the browser, against a real Orthanc (DICOMweb plugin): the administrator
 * sets the facility's PACS and tests the connection on the admin page; the district doctor
 * opens "Nhập từ PACS" on a request, searches by patient ID, imports the whole study, attaches a
 * study Orthanc pushed (C-STORE) to the facility's DICOM inbox, and sees the images among the
 * request's files.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { freePort, makeStudy, startOrthanc, type TestOrthanc } from '@caunoi/test-support';
import { writeSummary } from './support/summary.ts';
import { apiCall } from './support/rest.ts';
import { startStack, type Stack } from './support/stack.ts';
import { launch, person, PASSWORD, Shots, signIn } from './support/browser.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = new Shots(path.join(here, '../test-results/screenshots-pacs'));
let stack: Stack;
let orthanc: TestOrthanc;
let browser: Browser;
let passed = false;

const api = <T>(token: string | null, method: string, p: string, body?: unknown) =>
  apiCall<T>(stack.apiUrl, token, method, p, body);
const login = (email: string) =>
  api<{ accessToken: string; user: { facilityId: string } }>(null, 'POST', '/auth/login', {
    email,
    password: PASSWORD,
  });

const orthancIds: string[] = [];

before(async () => {
  const dicomPort = await freePort();
  orthanc = await startOrthanc({
    dicomModalities: { caunoi: ['CAUNOI_H1', '127.0.0.1', dicomPort] },
  });
  const study = makeStudy({ patientId: 'PID-WEB-1', patientName: 'LE^VAN^C' });
  const pushed = makeStudy({
    root: '1.2.826.0.1.3680043.10.9301',
    patientId: 'PID-WEB-2',
    patientName: 'PHAM^THI^D',
    studyDescription: 'MR SO NAO',
    modality: 'MR',
    instances: 2,
  });
  for (const series of study.series) for (const f of series.files) await orthanc.upload(f.bytes);
  for (const series of pushed.series)
    for (const f of series.files) orthancIds.push((await orthanc.upload(f.bytes)).ID);
  stack = await startStack({
    logsDir: path.join(here, '../test-results/logs-pacs'),
    apiEnv: { DICOM_SCP_PORT: String(dicomPort) },
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
  await orthanc?.stop();
  writeSummary('web-e2e-pacs', { passed: passed ? 1 : 0, failed: passed ? 0 : 1 });
});

test('admin sets the PACS and the DICOM inbox; the requester imports from both into a request', async () => {
  const requester = await login('requester@district-1.demo');
  const token = requester.accessToken;
  const facilityId = requester.user.facilityId;
  const facility = await api<{ name: string }>(token, 'GET', `/facilities/${facilityId}`);

  // The administrator: Facilities → the district centre → PACS settings → test connection.
  const admin = (await person(browser, stack.webUrl)).page;
  await signIn(admin, 'admin@caunoi.demo');
  await admin.goto('/admin');
  await admin.getByRole('button', { name: `Sửa cơ sở ${facility.name}` }).click();
  const settings = admin.getByRole('form', { name: 'PACS (DICOMweb)' });
  await settings.getByText('Cơ sở này chưa cấu hình PACS.').waitFor();
  await settings.getByLabel('Địa chỉ DICOMweb').fill(orthanc.dicomWebRoot);
  await settings.getByRole('combobox').selectOption('none'); // the one select: the sign-in kind
  await settings.getByRole('button', { name: 'Lưu cấu hình PACS' }).click();
  await settings.getByText('Đã lưu cấu hình PACS.').waitFor();
  await settings.getByRole('button', { name: 'Kiểm tra kết nối' }).click();
  await settings.getByText(/Kết nối tốt/).waitFor();
  await shots.take(admin, 'pacs-settings');
  // The same facility's DICOM inbox: an AE title, then Orthanc pushes a study to it (C-STORE).
  const inbox = admin.getByRole('form', { name: 'Hộp thư DICOM (C-STORE)' });
  await inbox.getByLabel('AE title', { exact: true }).fill('caunoi_h1');
  await inbox.getByRole('button', { name: 'Lưu hộp thư DICOM' }).click();
  await inbox.getByText('Đã lưu hộp thư DICOM.').waitFor();
  await inbox.getByText(/Cổng DICOM của máy chủ: \d+/).waitFor();
  const sent = await fetch(`${orthanc.url}/modalities/caunoi/store`, {
    method: 'POST',
    body: JSON.stringify({ Resources: orthancIds, Synchronous: true }),
  });
  assert.equal(sent.status, 200, await sent.text());

  const patient = await api<{ id: string }>(token, 'POST', '/patients', {
    fullName: 'Lê Văn Chụp',
    dateOfBirth: '1966-02-03',
    sex: 'male',
  });
  await api(token, 'POST', `/patients/${patient.id}/consents`, {
    kind: 'teleconsultation',
    granted: true,
  });
  const targets = await api<{ items: { id: string; code: string }[] }>(token, 'GET', '/facilities');
  const request = await api<{ id: string }>(token, 'POST', '/consultations', {
    patientId: patient.id,
    targetFacilityId: targets.items.find((f) => f.code === 'BV-TW-A')!.id,
    specialty: 'hô hấp',
    urgency: 'routine',
    summary: 'CT ngực có nốt mờ thùy trên phổi phải.',
    question: 'Xin ý kiến về nốt mờ trên CT.',
  });

  // The district doctor: the request page → Nhập từ PACS → search → import the whole study.
  // On a phone: district doctors often have nothing else at hand.
  const doctor = (await person(browser, stack.webUrl)).page;
  await doctor.setViewportSize({ width: 390, height: 844 });
  await signIn(doctor, 'requester@district-1.demo');
  await doctor.goto(`/consultations/${request.id}`);
  await doctor.getByRole('button', { name: 'Nhập từ PACS' }).click();
  const dialog = doctor.getByRole('dialog', { name: 'Nhập ảnh từ PACS' });
  await dialog.getByText('Bệnh nhân của yêu cầu này: Lê Văn Chụp').waitFor();
  await dialog.getByLabel('Mã bệnh nhân (PACS)').fill('PID-WEB-1');
  await dialog.getByRole('button', { name: 'Tìm', exact: true }).click();
  const results = dialog.getByRole('list', { name: 'Ca chụp tìm thấy' });
  await results.getByText(/LE VAN C · Mã PID-WEB-1/).waitFor();
  await results.getByText('2 loạt, 4 ảnh').waitFor();
  // LE VAN C is the request's Lê Văn Chụp written the PACS way: no "another patient" hint.
  assert.equal(await results.getByText(/bệnh nhân khác/).count(), 0);
  // The dialog fits the phone's width: nothing to scroll sideways.
  const fit = await dialog.evaluate((el) => ({
    width: el.getBoundingClientRect().width,
    overflow: el.scrollWidth - el.clientWidth,
  }));
  assert.ok(fit.width <= 390 && fit.overflow <= 0, JSON.stringify(fit));
  await shots.take(doctor, 'pacs-search');
  await results.getByRole('button', { name: 'Nhập cả ca chụp' }).click();
  await dialog.getByText('Đã nhập 4 ảnh (0 ảnh đã có sẵn).').waitFor({ timeout: 120_000 });
  await shots.take(doctor, 'pacs-imported');
  // The inbox tab: the study Orthanc pushed, attached in one click.
  await dialog.getByRole('button', { name: 'Hộp thư DICOM' }).click();
  const received = dialog.getByRole('list', { name: 'Hộp thư DICOM' });
  await received.getByText(/PHAM THI D · Mã PID-WEB-2/).waitFor();
  // Another person's study: the dialog says so before it is attached (a hint, not a block).
  await received.getByText(/có vẻ của bệnh nhân khác/).waitFor();
  await received.getByRole('button', { name: 'Đính kèm vào yêu cầu này' }).click();
  await dialog.getByText('Đã nhập 3 ảnh (0 ảnh đã có sẵn).').waitFor();
  await shots.take(doctor, 'inbox-attached');
  await dialog.getByRole('button', { name: 'Đóng' }).click();
  const files = doctor.getByRole('list', { name: 'Tệp đính kèm' });
  // A series is one row (the CT slices of the search import, the MR of the inbox); a lone
  // instance is its own file.
  await files.getByRole('button', { name: 'CT NGUC — loạt 3 ảnh' }).waitFor();
  await files.getByRole('button', { name: 'MR SO NAO — loạt 2 ảnh' }).waitFor();
  await files.getByText('OT_S2_1.dcm').waitFor();

  const stored = await api<{ items: { kind: string }[] }>(
    token,
    'GET',
    `/consultations/${request.id}/attachments`,
  );
  assert.equal(stored.items.length, 7); // 4 from the PACS search, 3 from the inbox
  assert.ok(stored.items.every((a) => a.kind === 'dicom'));
  passed = true;
});
