module.exports = async function globalTeardown() {
  const child = globalThis.__CAUNOI_EMBEDDED_PG__;
  if (!child) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.stdin.end();
    setTimeout(() => {
      child.kill('SIGTERM');
      resolve();
    }, 15000).unref();
  });
};
