#!/usr/bin/env bash
# Writes a GitHub repository's merged pull requests on stdout, one JSON object a line, for
# `dossier evidence reviews`: each pull request object with all its reviews (`GET …/pulls/{n}/reviews`) as `reviews`.
# Every list is read page by page (`gh api --paginate`); gh exits non-zero on any HTTP error status, and so does
# this script (errexit, pipefail), so an error body is never imported as review data.
#
# Needs gh (authenticated, e.g. GH_TOKEN) and jq.
# Usage: github-reviews.sh OWNER/REPO [UPDATED-AFTER] > pulls.jsonl
#   UPDATED-AFTER: an ISO time; only pull requests updated after it (fewer API calls on a long history).
set -euo pipefail
repo="${1:?usage: github-reviews.sh OWNER/REPO [UPDATED-AFTER] > pulls.jsonl}"
after="${2:-}"
merged="$(mktemp)"
trap 'rm -f "$merged"' EXIT
# --paginate writes each page's array after the previous one; jq reads them as a stream.
gh api --paginate "repos/$repo/pulls?state=closed&sort=updated&direction=desc&per_page=100" \
  | jq -c --arg after "$after" '.[] | select(.merged_at != null and .updated_at > $after)' > "$merged"
while IFS= read -r pr; do
  number="$(jq -r .number <<<"$pr")"
  reviews="$(gh api --paginate "repos/$repo/pulls/$number/reviews?per_page=100" | jq -s 'add // []')"
  jq -c --argjson reviews "$reviews" '. + {reviews: $reviews}' <<<"$pr"
done < "$merged"
