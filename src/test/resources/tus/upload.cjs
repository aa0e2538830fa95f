// Drives the real tus-js-client (npm, installed by scripts/clis) against atrium, as a Node app would.
// node upload.cjs <tus-js-client dir> <endpoint> <file> <filename> <knowledge_base_id> <stop-after-bytes|0> [upload url]
// Prints "STOPPED <url> <bytes sent>" when told to stop part-way (the connection is aborted), "DONE <url>" at the end.
const tus = require(process.argv[2]);
const fs = require('fs');
const [endpoint, file, filename, base, stopAfter, uploadUrl] = process.argv.slice(3);
const data = fs.readFileSync(file);
const headers = process.env.ATRIUM_TOKEN ? { Authorization: 'Bearer ' + process.env.ATRIUM_TOKEN } : {};
let upload;
const options = {
  endpoint,
  chunkSize: 256 * 1024,
  retryDelays: null,
  headers,
  metadata: { filename, knowledge_base_id: base },
  onError: (e) => { console.error('ERROR ' + e); process.exit(2); },
  onChunkComplete: (chunk, sent, total) => {
    if (Number(stopAfter) > 0 && sent >= Number(stopAfter)) {
      upload.abort(false).catch(() => {});
      console.log('STOPPED ' + upload.url + ' ' + sent);
      process.exit(0);
    }
  },
  onSuccess: () => { console.log('DONE ' + upload.url); process.exit(0); },
};
if (uploadUrl) {
  options.uploadUrl = uploadUrl;
}
upload = new tus.Upload(data, options);
upload.start();
