// Each run's room is a real session: a new district patient who consented, an accepted request,
// booked through the API by central A's coordinator with the three sites' people, starting now.
// So the join token, the session's details and the chat are the API's own answers, carried over
// the commune's line like any other request (earlier rounds answered them in the page).
// The demo's people, as the end-to-end suites name them (Node strips the types of that .ts).
const { COORDINATOR, REQUESTER } = await import('../../apps/web/e2e/support/case.ts');

/**
 * Books the run's session for `emails` (the requester among them). Resolves with its id and
 * `close()`, which ends it (the SFU closes the room, so nothing of this run is left in it) and
 * frees its hours: the same people are booked into the next run's session, and an ended
 * session keeps its hours booked, which the API's double-booking rule would refuse.
 */
export async function bookRun(kit, emails, title) {
  const [requester, coordinator] = await Promise.all([
    kit.token(REQUESTER),
    kit.token(COORDINATOR),
  ]);
  const patientId = await kit.districtPatient('Nguyễn Văn Đo Đường Truyền', '1961-03-08', 'male');
  await kit.consent(requester, patientId, 'teleconsultation');
  const consultationId = await kit.acceptedRequest(patientId, title);
  const startsAt = Date.now();
  const booked = await kit.api(coordinator, 'POST', '/sessions', {
    consultationIds: [consultationId],
    participantIds: await Promise.all(emails.map((e) => kit.userId(e))),
    facilityIds: [],
    startsAt: new Date(startsAt).toISOString(),
    endsAt: new Date(startsAt + 3600_000).toISOString(),
  });
  if (booked.status !== 201)
    throw new Error(
      `POST /sessions: ${booked.status} ${JSON.stringify(booked.body).slice(0, 300)}`,
    );
  const id = booked.body.id;
  return {
    id,
    async close() {
      const ended = await kit.api(coordinator, 'POST', `/sessions/${id}/end`);
      // Nobody admitted (a run that failed before the join): cancelled instead.
      if (ended.status === 409)
        await kit.api(coordinator, 'POST', `/sessions/${id}/cancel`, { reason: 'benchmark run' });
      await kit.db.query(
        `UPDATE session_bookings SET cancelled = true WHERE session_id = $1 AND NOT cancelled`,
        [id],
      );
    },
  };
}
