/**
 * A written (store-and-forward) consultation in the browser: the district doctor's request asks
 * for a written opinion; the coordinator accepts it and assigns a specialist; the specialist
 * writes and signs the opinion on the request's page, without any session; the district doctor
 * sees it completed.
 */
import { after, before, test } from 'node:test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { writeSummary } from './support/summary.ts';
import { apiCall } from './support/rest.ts';
import { startStack, type Stack } from './support/stack.ts';
import { launch, person, PASSWORD, Shots, signIn } from './support/browser.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = new Shots(path.join(here, '../test-results/screenshots-written'));
let stack: Stack;
let browser: Browser;
let passed = false;

const api = <T>(token: string | null, method: string, p: string, body?: unknown) =>
  apiCall<T>(stack.apiUrl, token, method, p, body);

before(async () => {
  stack = await startStack({ logsDir: path.join(here, '../test-results/logs-written') });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
  writeSummary('web-e2e-written', { passed: passed ? 1 : 0, failed: passed ? 0 : 1 });
});

test('a written consultation: requested, accepted, assigned, answered and signed without a session', async () => {
  const { accessToken: token } = await api<{ accessToken: string }>(null, 'POST', '/auth/login', {
    email: 'requester@district-1.demo',
    password: PASSWORD,
  });
  const facilities = await api<
    { items: { id: string; code: string }[] } | { id: string; code: string }[]
  >(token, 'GET', '/facilities');
  const list = Array.isArray(facilities) ? facilities : facilities.items;
  const target = list.find((f) => f.code === 'BV-TW-A')!;
  const patient = await api<{ id: string }>(token, 'POST', '/patients', {
    fullName: 'Hoàng Văn Viết',
    dateOfBirth: '1971-04-12',
    sex: 'male',
  });
  await api(token, 'POST', `/patients/${patient.id}/consents`, {
    kind: 'teleconsultation',
    granted: true,
  });
  const request = await api<{ id: string }>(token, 'POST', '/consultations', {
    patientId: patient.id,
    targetFacilityId: target.id,
    specialty: 'hô hấp',
    urgency: 'routine',
    summary: 'Ho kéo dài, X-quang có đám mờ đỉnh phổi phải.',
    question: 'Xin ý kiến bằng văn bản về hướng xử trí.',
    mode: 'written',
  });
  await api(token, 'POST', `/consultations/${request.id}/submit`, {});

  const coordinator = (await person(browser, stack.webUrl)).page;
  await signIn(coordinator, 'coordinator@central-a.demo');
  await coordinator.goto(`/consultations/${request.id}`);
  await coordinator.getByText('Hội chẩn bằng văn bản (không họp)').waitFor();
  await coordinator.getByRole('button', { name: 'Tiếp nhận' }).click();
  const specialist = coordinator.getByRole('checkbox', { name: /Trần Văn Minh/ });
  await specialist.check();
  await coordinator.getByRole('button', { name: 'Phân công' }).click();
  await coordinator
    .getByRole('list', { name: 'Chuyên gia được phân công' })
    .getByText(/Trần Văn Minh/)
    .waitFor();
  await shots.take(coordinator, 'written-assigned');

  const expert = (await person(browser, stack.webUrl)).page;
  await signIn(expert, 'specialist1@central-a.demo');
  await expert.goto(`/consultations/${request.id}`);
  await expert.getByRole('heading', { name: 'Ý kiến hội chẩn bằng văn bản' }).waitFor();
  await expert.getByLabel('Tóm tắt ca bệnh').fill('Ho kéo dài, đám mờ đỉnh phổi phải.');
  await expert.getByLabel('Ý kiến').fill('Hình ảnh gợi ý lao phổi; chưa loại trừ u.');
  await expert.getByLabel('Kết luận').fill('Nghi lao phổi.');
  await expert.getByLabel('Hướng điều trị').fill('Xét nghiệm AFB đờm 2 mẫu, chụp CT ngực.');
  await expert.getByRole('button', { name: 'Ký biên bản' }).click();
  await expert.getByRole('status').filter({ hasText: 'Đã ký lúc' }).waitFor({ timeout: 20_000 });
  await shots.take(expert, 'written-signed');

  const requester = (await person(browser, stack.webUrl)).page;
  await signIn(requester, 'requester@district-1.demo');
  await requester.goto(`/consultations/${request.id}`);
  await requester.getByText('Hoàn thành').first().waitFor();
  await requester.goto(`/consultations/${request.id}/minutes`);
  await requester.getByText('Nghi lao phổi.').first().waitFor();
  passed = true;
});
