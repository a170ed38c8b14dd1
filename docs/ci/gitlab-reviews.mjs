// Writes a GitLab project's merged merge requests as JSON on stdout, for `dossier evidence reviews`: each with its
// approvals (`GET …/merge_requests/:iid/approvals`) as `approvals` and its diff versions (`GET …/versions`, one per
// push, with the time its head was pushed) as `versions`, so an approval can be dated against the merged head.
// Every list is read page by page (`x-next-page`); any answer that is not 2xx stops it with exit code 1 and the
// answer on stderr, so an error body is never imported as review data.
//
// Environment: CI_API_V4_URL and CI_PROJECT_ID (GitLab CI sets them), DOSSIER_GITLAB_TOKEN (read_api).
// Optional: DOSSIER_UPDATED_AFTER (ISO time: only merge requests updated after it).
// Usage: node gitlab-reviews.mjs > mrs.json
const need = (name) => {
  const value = process.env[name];
  if (value === undefined || value === '') {
    process.stderr.write(`gitlab-reviews: set ${name}\n`);
    process.exit(2);
  }
  return value;
};
const api = need('CI_API_V4_URL').replace(/\/+$/, '');
const project = encodeURIComponent(need('CI_PROJECT_ID'));
const headers = { 'PRIVATE-TOKEN': need('DOSSIER_GITLAB_TOKEN') };

async function get(path) {
  const url = `${api}${path}`;
  const res = await fetch(url, { headers });
  const text = await res.text();
  if (!res.ok) {
    process.stderr.write(`gitlab-reviews: GET ${url}: HTTP ${res.status}: ${text.slice(0, 500)}\n`);
    process.exit(1);
  }
  return { body: JSON.parse(text), next: res.headers.get('x-next-page') ?? '' };
}

async function all(path) {
  const out = [];
  for (let page = '1'; page !== ''; ) {
    const { body, next } = await get(`${path}${path.includes('?') ? '&' : '?'}per_page=100&page=${page}`);
    if (!Array.isArray(body)) {
      process.stderr.write(`gitlab-reviews: GET ${path}: expected a JSON array\n`);
      process.exit(1);
    }
    out.push(...body);
    page = next;
  }
  return out;
}

const after = process.env['DOSSIER_UPDATED_AFTER'];
const mrs = await all(`/projects/${project}/merge_requests?state=merged${after ? `&updated_after=${encodeURIComponent(after)}` : ''}`);
for (const mr of mrs) {
  mr.approvals = (await get(`/projects/${project}/merge_requests/${mr.iid}/approvals`)).body;
  mr.versions = await all(`/projects/${project}/merge_requests/${mr.iid}/versions`);
}
process.stdout.write(`${JSON.stringify(mrs)}\n`);
