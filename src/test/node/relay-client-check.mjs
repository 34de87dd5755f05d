// Drives the relay's own /relay-client.js module from Node (fetch and WebCrypto as in browsers):
//   node relay-client-check.mjs <relay http url> <info_hash hex> <count>
// Prints one JSON line: the module's rendezvous order of the listed relays and its announce list.
const [base, infoHash, count] = process.argv.slice(2)
// Node cannot import over http: load the module's text as served, as a data: URL.
const source = await (await fetch(`${base}relay-client.js`)).text()
const mod = await import('data:text/javascript;base64,' + Buffer.from(source).toString('base64'))
const client = new mod.RelayClient({ relays: [base], count: Number(count) })
const relays = await client.relays()
const order = (await mod.rendezvous(relays, infoHash)).map((r) => r.id)
const announce = await client.announceList(infoHash)
client.close()
console.log(JSON.stringify({ order, announce }))
