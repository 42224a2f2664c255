// A TCP relay between the gate and its PostgreSQL that can stop answering like a frozen host (sockets
// stay open, no bytes move) or refuse like a stopped server, without mocking the driver.
import { connect, createServer, type Server, type Socket } from 'node:net';

/** A relay to a port on 127.0.0.1. */
export interface Relay {
	port: number;
	/** Stops moving bytes both ways; connections stay open and new ones are accepted, then held. */
	freeze(): void;
	/** Moves bytes again, those held included. */
	thaw(): void;
	/** Resolves once, frozen, the relay holds bytes some client sent: a statement that gets no answer. */
	holding(): Promise<void>;
	/** Cuts every connection and refuses new ones, like a stopped server. */
	refuse(): Promise<void>;
	/** Accepts connections again after `refuse()`. */
	accept(): Promise<void>;
	close(): Promise<void>;
}

/** Starts a relay from a free port on 127.0.0.1 to `targetPort`. */
export async function startRelay(targetPort: number): Promise<Relay> {
	const sockets = new Set<Socket>();
	const clients = new Set<Socket>();
	let frozen = false;
	const track = (socket: Socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
		if (frozen) socket.pause();
	};
	const relay = (client: Socket) => {
		const upstream = connect(targetPort, '127.0.0.1');
		track(client);
		track(upstream);
		clients.add(client);
		client.once('close', () => clients.delete(client));
		client.on('data', (chunk) => upstream.write(chunk));
		upstream.on('data', (chunk) => client.write(chunk));
		const drop = () => {
			client.destroy();
			upstream.destroy();
		};
		for (const socket of [client, upstream]) socket.on('error', drop).on('close', drop);
	};
	let server: Server = createServer(relay);
	const listen = (port: number) =>
		new Promise<number>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
		});
	const port = await listen(0);
	const stop = () =>
		new Promise<void>((resolve) => {
			server.close(() => resolve());
			for (const socket of sockets) socket.destroy();
		});
	return {
		port,
		freeze: () => {
			frozen = true;
			for (const socket of sockets) socket.pause();
		},
		thaw: () => {
			frozen = false;
			for (const socket of sockets) socket.resume();
		},
		holding: async () => {
			// A paused socket keeps reading into its buffer, so what a client sent shows there.
			while (![...clients].some((client) => client.readableLength > 0))
				await new Promise((resolve) => setTimeout(resolve, 20));
		},
		refuse: stop,
		accept: async () => {
			server = createServer(relay);
			await listen(port);
		},
		close: stop,
	};
}
