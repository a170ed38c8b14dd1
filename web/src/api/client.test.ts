import { describe, expect, it } from 'vitest';
import { ApiError, buildRequest } from './client';

/** The typed client builds each call from the server's own route table (needs `npm run build`). */
describe('buildRequest', () => {
  it('fills path parameters, URL-encoded, and sends the rest of a GET as the query string', () => {
    const r = buildRequest('record.list', { productKey: 'R P', type: 'SRS', text: 'a&b', limit: 5 });
    expect(r.method).toBe('GET');
    expect(r.url).toBe('/api/v1/products/R%20P/records?type=SRS&text=a%26b&limit=5');
    expect(r.body).toBeUndefined();
  });

  it('sends a write as JSON, and the base revision as If-Match', () => {
    const r = buildRequest('record.edit', { productKey: 'RPM', record: 'SRS-3', baseRevision: 2, title: 'New title' });
    expect(r.method).toBe('PATCH');
    expect(r.headers['if-match']).toBe('"2"');
    expect(JSON.parse(r.body ?? '')).toEqual({ title: 'New title' });
    expect(r.url).toBe('/api/v1/products/RPM/records/SRS-3');
  });

  it('repeats a key for each value of an array', () => {
    const r = buildRequest('audit.log', { types: ['RECORD_CREATED', 'LINK_ADDED'] });
    expect(r.url).toMatch(/types=RECORD_CREATED&types=LINK_ADDED/);
  });

  it('refuses a use-case the server does not know', () => {
    expect(() => buildRequest('no.such', {})).toThrow(ApiError);
  });
});
