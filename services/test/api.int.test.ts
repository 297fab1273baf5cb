import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser, http, testLab, uniqueEmail } from '../../cli/test/test-lab.js';

const lab = testLab();
const g = lab.gatewayUrl;
const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

describe('user-service through the gateway', () => {
  it('creates a user in the stored form: lower-case email, seven days, hours sorted and unique', async () => {
    const email = uniqueEmail('Mixed.Case');
    const res = await http(`${g}/users/users`, {
      method: 'POST',
      body: { email: email.toUpperCase(), availabilities: { friday: [15, 9, 9], monday: [8] } },
    });
    expect(res.status).toBe(201);
    expect(res.body.email).toBe(email.toLowerCase());
    expect(Object.keys(res.body.availabilities)).toEqual(days);
    expect(res.body.availabilities.friday).toEqual([9, 15]);
    expect(res.body.preferences).toBe('first');
    expect(new Date(res.body.created_at).toString()).not.toBe('Invalid Date');
  });

  it('answers 409 for an email that exists and keeps the old row', async () => {
    const email = uniqueEmail();
    await createUser(g, email, { monday: [9] }, 'last');
    const again = await http(`${g}/users/users`, { method: 'POST', body: { email, availabilities: { monday: [10] } } });
    expect(again.status).toBe(409);
    expect(again.body.detail[0]).toMatchObject({ loc: ['internal'], type: 'http_error' });
    const stored = await http(`${g}/users/users/${email}`);
    expect(stored.body.availabilities.monday).toEqual([9]);
    expect(stored.body.preferences).toBe('last');
  });

  it('answers a repeated POST of the same user with 200 and the stored user, writing nothing', async () => {
    const email = uniqueEmail();
    const body = { email, availabilities: { monday: [10, 9] }, preferences: 'last' };
    const first = await http(`${g}/users/users`, { method: 'POST', body });
    expect(first.status).toBe(201);
    const again = await http(`${g}/users/users`, {
      method: 'POST',
      body: { ...body, email: email.toUpperCase(), availabilities: { monday: [9, 10, 9] } },
    });
    expect(again.status, again.text).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  it('reads, updates and deletes a user, with 404 for one that is not there', async () => {
    const email = uniqueEmail();
    await createUser(g, email, { tuesday: [11] });
    expect((await http(`${g}/users/users/${email}`)).status).toBe(200);
    const updated = await http(`${g}/users/users/${email}`, {
      method: 'PUT',
      body: { availabilities: { sunday: [20, 19] }, preferences: 'random' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.availabilities.sunday).toEqual([19, 20]);
    expect(updated.body.availabilities.tuesday).toEqual([]);
    expect(updated.body.preferences).toBe('random');
    expect((await http(`${g}/users/users/${email}`, { method: 'DELETE' })).status).toBe(204);
    const gone = await http(`${g}/users/users/${email}`);
    expect(gone.status).toBe(404);
    expect(gone.body.detail[0].msg).toBe('User not found');
    expect((await http(`${g}/users/users/${email}`, { method: 'DELETE' })).status).toBe(404);
    expect((await http(`${g}/users/users/${email}`, { method: 'PUT', body: { preferences: 'first' } })).status).toBe(404);
  });

  it('serves a miss, then a hit, with X-Cache, Server-Timing and the cached body unchanged', async () => {
    const email = uniqueEmail();
    await createUser(g, email, { monday: [9, 10] });
    const miss = await http(`${g}/users/user-avail/cache-aside?user1email=${email}`);
    expect(miss.status).toBe(200);
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(miss.headers['server-timing']).toMatch(/app;dur=[\d.]+.*db;dur=/);
    const hit = await http(`${g}/users/user-avail/cache-aside/${email.toUpperCase()}`);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers['server-timing']).toContain('cache;desc="HIT"');
    expect(hit.body).toEqual(miss.body);
  });

  it('drops the cached read on update and delete', async () => {
    const email = uniqueEmail();
    await createUser(g, email, { monday: [9] });
    await http(`${g}/users/user-avail/cache-aside?user1email=${email}`);
    await http(`${g}/users/users/${email}`, { method: 'PUT', body: { availabilities: { monday: [17] } } });
    const after = await http(`${g}/users/user-avail/cache-aside?user1email=${email}`);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body.availabilities.monday).toEqual([17]);
    await http(`${g}/users/users/${email}`, { method: 'DELETE' });
    expect((await http(`${g}/users/user-avail/cache-aside?user1email=${email}`)).status).toBe(404);
  });

  it('answers 400 for a cache-aside read without an email', async () => {
    const res = await http(`${g}/users/user-avail/cache-aside`);
    expect(res.status).toBe(400);
    expect(res.body.detail[0].loc).toEqual(['querystring', 'user1email']);
  });
});

describe('availability and suggestion through the gateway', () => {
  const a = uniqueEmail('a');
  const b = uniqueEmail('b');
  const lonely = uniqueEmail('lonely');
  beforeAll(async () => {
    await createUser(g, a, { monday: [9, 10, 11], wednesday: [14], friday: [16] }, 'first');
    await createUser(g, b, { monday: [10, 11], wednesday: [14, 15], friday: [16] }, 'last');
    await createUser(g, lonely, { sunday: [3] }, 'first');
  });

  it('returns the common hours of two users with both preferences', async () => {
    const res = await http(`${g}/availability/availabilities?userId1=${a}&userId2=${b}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      common_availabilities: { monday: [10, 11], tuesday: [], wednesday: [14], thursday: [], friday: [16], saturday: [], sunday: [] },
      user1preference: 'first',
      user2preference: 'last',
    });
    const alias = await http(`${g}/availability/common_availabilities?userId1=${a}&userId2=${b}`);
    expect(alias.body).toEqual(res.body);
  });

  it("suggests user1's pick then user2's when their preferences differ, one when overridden", async () => {
    const both = await http(`${g}/suggestion/suggestions?userId1=${a}&userId2=${b}`, { headers: { 'Case-ID': 'suggest-1' } });
    expect(both.status).toBe(200);
    expect(both.body).toEqual({
      case_id: 'suggest-1',
      suggestions: [
        { day: 'monday', slot: [10, 11] },
        { day: 'friday', slot: [16, 17] },
      ],
    });
    const last = await http(`${g}/suggestion/suggestions?userId1=${a}&userId2=${b}&preference=last`);
    expect(last.body.suggestions).toEqual([{ day: 'friday', slot: [16, 17] }]);
  });

  it('suggests nothing when there is no common hour', async () => {
    const res = await http(`${g}/suggestion/suggestions?userId1=${a}&userId2=${lonely}`);
    expect(res.status).toBe(200);
    expect(res.body.suggestions).toEqual([]);
  });

  it('propagates 404 through availability, suggestion and the gateway', async () => {
    const missing = uniqueEmail('missing');
    const avail = await http(`${g}/availability/availabilities?userId1=${a}&userId2=${missing}`);
    expect(avail.status).toBe(404);
    expect(avail.body.detail[0].msg).toBe('One or both users not found');
    const sugg = await http(`${g}/suggestion/suggestions?userId1=${missing}&userId2=${b}`);
    expect(sugg.status).toBe(404);
    expect(sugg.body.detail[0].msg).toBe('One or both users not found');
  });

  it('answers 400 when a user id is missing', async () => {
    expect((await http(`${g}/availability/availabilities?userId1=${a}`)).status).toBe(400);
    expect((await http(`${g}/suggestion/suggestions?userId2=${a}`)).status).toBe(400);
  });
});

describe('every service', () => {
  const services = ['users', 'availability', 'suggestion', 'worker'];

  it.each(services)('%s: /health reports healthy with its dependencies, and /docs serves the OpenAPI UI', async (prefix) => {
    const health = await http(`${g}/${prefix}/health`);
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('healthy');
    expect(Object.keys(health.body.dependencies).length).toBeGreaterThan(0);
    const docs = await http(`${g}/${prefix}/docs/json`);
    expect(docs.status).toBe(200);
    expect(docs.body.openapi).toMatch(/^3\./);
  });

  it('the gateway answers its own /health and passes a Case-ID through, setting one when absent', async () => {
    const own = await http(`${g}/health`);
    expect(own.status).toBe(200);
    expect(own.text).toBe('ok');
    const kept = await http(`${g}/users/health`, { headers: { 'Case-ID': 'keep-me-1' } });
    expect(kept.headers['case-id']).toBe('keep-me-1');
    expect(kept.headers['x-upstream']).toMatch(/^\d+\.\d+\.\d+\.\d+:\d+$/);
    const fresh = await http(`${g}/users/health`);
    expect(fresh.headers['case-id']).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
  });
});

describe("the lab's Redis", () => {
  it("answers nothing without the lab's password: no other program can change what the services serve", async () => {
    const { hostname, port } = new URL(lab.addresses.redis!);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port) });
      let data = '';
      socket.setTimeout(3000, () => socket.destroy(new Error('no answer')));
      socket.on('connect', () => socket.write('*3\r\n$3\r\nSET\r\n$17\r\ncache_aside_X@Y.Z\r\n$4\r\nevil\r\n'));
      socket.on('data', (d) => {
        data += d;
        if (data.includes('\r\n')) socket.end();
      });
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^-NOAUTH/);
  });
});
