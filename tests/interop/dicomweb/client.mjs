#!/usr/bin/env node
// client.mjs: the npm dicomweb-client (written by others, for browsers) driven from the command line, so the interop
// tests can point an independent DICOMweb client at a server and compare what it got.
//
//   node client.mjs BASE_URL COMMAND ARGS...
//     stow FILE...                      STOW-RS the files in one request; prints the response (DICOM JSON) or null
//     qido-studies [KEY=VALUE...]       QIDO-RS /studies with these query parameters; prints the DICOM JSON array
//     qido-series STUDY                 QIDO-RS /studies/STUDY/series
//     metadata STUDY SERIES             WADO-RS series /metadata
//     frames STUDY SERIES SOP N[,N...]  WADO-RS /frames/N...; prints [{frame, length, sha256, contentType, transferSyntaxUID}]
//     rendered STUDY SERIES SOP [TYPE]  WADO-RS /rendered (Accept TYPE, default image/jpeg); prints {length, sha256, contentType}
//
// BASE_URL is the DICOMweb root, e.g. http://127.0.0.1:8042/dicomweb. Credentials: RB_USER and RB_PASSWORD (HTTP Basic)
// or RB_TOKEN (Bearer). RB_TIMEOUT_MS bounds each request (default 60000). Results go to stdout as JSON; on any error
// the script prints "error: ..." on stderr and exits 1 (2 for a usage error).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import XMLHttpRequest from 'xhr2';

// dicomweb-client calls the browser's XMLHttpRequest; Node 20 has fetch but no XMLHttpRequest, and xhr2 implements the
// parts the client uses (responseType arraybuffer/json, getAllResponseHeaders, binary send). It must be global before the
// client creates its first request, hence the dynamic import below.
globalThis.XMLHttpRequest = XMLHttpRequest;
const { api } = (await import('dicomweb-client')).default;

class UsageError extends Error {}

function usage(message) {
    throw new UsageError(message);
}

function headers() {
    const { RB_USER: user, RB_PASSWORD: password, RB_TOKEN: token } = process.env;
    if (token) return { Authorization: `Bearer ${token}` };
    if (user === undefined && password === undefined) return {};
    if (!user || password === undefined) usage('set both RB_USER and RB_PASSWORD (or neither)');
    return { Authorization: `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}` };
}

function timeoutHook() {
    const ms = Number(process.env.RB_TIMEOUT_MS ?? 60000);
    if (!Number.isFinite(ms) || ms <= 0) usage(`RB_TIMEOUT_MS must be a positive number of milliseconds, not '${process.env.RB_TIMEOUT_MS}'`);
    return (request, metadata) => { // dicomweb-client insists on this two-argument signature
        void metadata;
        request.timeout = ms;
        return request;
    };
}

function describe(buffer) {
    const bytes = buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    return {
        length: bytes.byteLength,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        contentType: buffer.contentType ?? null,
    };
}

// The STOW response arrives as text (the client sets no responseType for POST): DICOM JSON, XML or nothing.
function parseStowResponse(response) {
    if (response === null || response === undefined || response === '') return null;
    if (typeof response !== 'string') return response;
    try {
        return JSON.parse(response);
    } catch {
        return { text: response };
    }
}

function need(args, count, what) {
    if (args.length !== count) usage(`expected ${what}`);
    return args;
}

async function run(argv) {
    const [baseUrl, command, ...args] = argv;
    if (!baseUrl || !command) usage('node client.mjs BASE_URL COMMAND ARGS... (see the comment at the top of client.mjs)');
    if (!/^https?:\/\//.test(baseUrl)) usage(`BASE_URL must be an http(s) URL, not '${baseUrl}'`);
    const client = new api.DICOMwebClient({
        url: baseUrl.replace(/\/+$/, ''),
        headers: headers(),
        requestHooks: [timeoutHook()],
        // The client would dump whole request objects to the console on a failure; we report the error ourselves.
        verbose: false,
    });

    switch (command) {
        case 'stow': {
            if (args.length === 0) usage('stow needs at least one FILE');
            const datasets = await Promise.all(args.map(async file => {
                const bytes = await readFile(file);
                return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
            }));
            return parseStowResponse(await client.storeInstances({ datasets }));
        }
        case 'qido-studies': {
            const queryParams = {};
            for (const arg of args) {
                const eq = arg.indexOf('=');
                if (eq <= 0) usage(`query parameters are KEY=VALUE, not '${arg}'`);
                queryParams[arg.slice(0, eq)] = arg.slice(eq + 1);
            }
            return await client.searchForStudies(args.length ? { queryParams } : {});
        }
        case 'qido-series': {
            const [studyInstanceUID] = need(args, 1, 'qido-series STUDY');
            return await client.searchForSeries({ studyInstanceUID });
        }
        case 'metadata': {
            const [studyInstanceUID, seriesInstanceUID] = need(args, 2, 'metadata STUDY SERIES');
            return await client.retrieveSeriesMetadata({ studyInstanceUID, seriesInstanceUID });
        }
        case 'frames': {
            const [studyInstanceUID, seriesInstanceUID, sopInstanceUID, list] = need(args, 4, 'frames STUDY SERIES SOP N[,N...]');
            const frameNumbers = list.split(',').map(Number);
            if (frameNumbers.some(n => !Number.isInteger(n) || n < 1)) usage(`frame numbers start at 1, not '${list}'`);
            const parts = await client.retrieveInstanceFrames({ studyInstanceUID, seriesInstanceUID, sopInstanceUID, frameNumbers });
            return parts.map((part, i) => ({ frame: frameNumbers[i] ?? null, ...describe(part), transferSyntaxUID: part.transferSyntaxUID ?? null }));
        }
        case 'rendered': {
            if (args.length !== 3 && args.length !== 4) usage('rendered STUDY SERIES SOP [MEDIATYPE]');
            const [studyInstanceUID, seriesInstanceUID, sopInstanceUID, mediaType = 'image/jpeg'] = args;
            const result = await client.retrieveInstanceRendered({ studyInstanceUID, seriesInstanceUID, sopInstanceUID, mediaTypes: [{ mediaType }] });
            // Single-part answers come back as the ArrayBuffer itself, with the response's Content-Type attached.
            const body = Array.isArray(result) ? result[0] : result;
            if (!body) throw new Error('rendered: empty response');
            return describe(body);
        }
        default:
            usage(`unknown command '${command}' (stow, qido-studies, qido-series, metadata, frames, rendered)`);
    }
}

function errorText(error) {
    if (error?.request && typeof error.status === 'number') {
        const request = error.request;
        let body = error.response;
        if (body instanceof ArrayBuffer) body = Buffer.from(body).toString('utf8');
        else if (body && typeof body !== 'string') body = JSON.stringify(body);
        const what = error.status === 0 ? 'no HTTP response (connection refused, reset or timed out)' : `HTTP ${error.status}`;
        const url = request._url ? ` ${request._url.href ?? request._url}` : '';
        return `${what}${url}${body ? `: ${String(body).slice(0, 2000)}` : ''}`;
    }
    return error?.message ?? String(error);
}

try {
    const result = await run(process.argv.slice(2));
    process.stdout.write(`${JSON.stringify(result ?? null)}\n`);
} catch (error) {
    process.stderr.write(`error: ${errorText(error)}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
}
