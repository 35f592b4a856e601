#!/usr/bin/env bash
# Applies a docs-sync proposal (sync.patch and title.txt in the folder given) as one commit on
# the current branch. It runs in the workflow's job that can push, on files made by the job
# that read untrusted docs pages, so it trusts neither: the title must be one "docs sync: …"
# line, and the patch may add, change or delete regular files under spec/ and generated/ only
# (no other path, no symbolic link, no submodule). Anything else: exit 1, nothing committed.
set -euo pipefail

dir="${1:?usage: apply-proposal.sh <folder with sync.patch and title.txt>}"
refuse() {
  echo "apply-proposal: $*" >&2
  git reset --quiet --hard HEAD
  exit 1
}

title="$(head -n 1 "$dir/title.txt" | LC_ALL=C tr -d '\000-\037\177' | cut -c1-200)"
case "$title" in
  "docs sync: "?*) ;;
  *) refuse "title.txt does not start with 'docs sync: '" ;;
esac

git apply --index "$dir/sync.patch" || refuse "sync.patch does not apply to $(git rev-parse --short HEAD)"

outside=""
while IFS= read -r -d '' file; do
  case "$file" in
    spec/* | generated/*) ;;
    *) outside="$outside $file" ;;
  esac
done < <(git diff --cached --name-only -z --no-renames)
[ -z "$outside" ] || refuse "sync.patch touches paths outside spec/ and generated/:$outside"

# New modes of every staged entry: 120000 is a symbolic link, 160000 a submodule.
if git diff --cached --raw --no-renames | awk '{ print $2 }' | grep -qE '^(120000|160000)$'; then
  refuse "sync.patch adds a symbolic link or a submodule"
fi

git diff --cached --quiet && refuse "sync.patch changes nothing"
git commit --quiet -m "$title" -m "Pulled by the docs-sync workflow: spec:pull, then generate."
echo "$title"
