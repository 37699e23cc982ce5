#!/bin/sh
# Installs the npm packages pinned in package-lock.json (npm ci) unless node_modules already
# matches the lock file, then copies the minified bundles and their licences into the kernel's
# class output. Called by kernel/pom.xml in the generate-resources phase; $1 = output folder.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUTPUT_DIR}
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "ERROR: building the Workbench kernel needs node and npm to bundle plotly.js and cytoscape" >&2
  echo "ERROR: (from the npm registry, at build time). Install Debian's packages: sudo apt-get install nodejs npm" >&2
  exit 1
fi
cd "$here"
# npm writes node_modules/.package-lock.json on install; when it is newer than package-lock.json
# and package.json, and the bundles exist, node_modules is up to date.
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ] && [ "$stamp" -nt package.json ] \
   && [ -f node_modules/plotly.js-dist-min/plotly.min.js ] && [ -f node_modules/cytoscape/dist/cytoscape.min.js ]; then
  echo "kernel/js: node_modules up to date"
else
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
mkdir -p "$out"
cp node_modules/plotly.js-dist-min/plotly.min.js "$out/plotly.min.js"
cp node_modules/plotly.js-dist-min/LICENSE "$out/plotly.LICENSE.txt"
cp node_modules/cytoscape/dist/cytoscape.min.js "$out/cytoscape.min.js"
cp node_modules/cytoscape/LICENSE "$out/cytoscape.LICENSE.txt"
