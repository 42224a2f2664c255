import { inflateSync } from 'node:zlib';

/**
 * Unpacks a WOFF 1.0 font into the TrueType/OpenType file it wraps. resvg reads only TTF and OTF, and
 * the fonts in the repo are WOFF (what satori reads too), so the same files serve both.
 */
export function woffToSfnt(woff: Buffer): Buffer {
	if (woff.toString('latin1', 0, 4) !== 'wOFF')
		throw new Error('not a WOFF 1.0 font (no wOFF signature)');
	const flavor = woff.readUInt32BE(4);
	const numTables = woff.readUInt16BE(12);
	const tables = Array.from({ length: numTables }, (_, i) => {
		const at = 44 + i * 20;
		const [tag, offset, compLength, origLength, checksum] = [0, 4, 8, 12, 16].map((o) =>
			woff.readUInt32BE(at + o),
		) as [number, number, number, number, number];
		const raw = woff.subarray(offset, offset + compLength);
		return { tag, checksum, data: compLength < origLength ? inflateSync(raw) : raw };
	});
	const entrySelector = Math.floor(Math.log2(numTables));
	const searchRange = 2 ** entrySelector * 16;
	const header = Buffer.alloc(12 + numTables * 16);
	header.writeUInt32BE(flavor, 0);
	header.writeUInt16BE(numTables, 4);
	header.writeUInt16BE(searchRange, 6);
	header.writeUInt16BE(entrySelector, 8);
	header.writeUInt16BE(numTables * 16 - searchRange, 10);
	const chunks: Buffer[] = [header];
	let offset = header.length;
	tables.forEach((t, i) => {
		header.writeUInt32BE(t.tag, 12 + i * 16);
		header.writeUInt32BE(t.checksum, 16 + i * 16);
		header.writeUInt32BE(offset, 20 + i * 16);
		header.writeUInt32BE(t.data.length, 24 + i * 16);
		const padded = Buffer.alloc(Math.ceil(t.data.length / 4) * 4);
		t.data.copy(padded);
		chunks.push(padded);
		offset += padded.length;
	});
	return Buffer.concat(chunks);
}
