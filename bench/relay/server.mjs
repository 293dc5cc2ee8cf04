// The baseline of bench/relay.sh: a chat relay as the socket.io 4 seed app builds it. Each
// pair of friends joins a room; a message is emitted to everyone in its room (both friends,
// as Hearth sends `posted` to both). Nothing is stored, nothing is checked: this is the
// speed of relaying alone. Prints "listening <port>" once it accepts connections.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { serveClient: false, transports: ['websocket'] });

io.on('connection', (socket) => {
  socket.on('join', (room, ack) => {
    socket.join(room);
    if (typeof ack === 'function') ack();
  });
  socket.on('message', (msg) => {
    if (msg && typeof msg.room === 'string') io.to(msg.room).emit('message', msg);
  });
});

http.listen(0, '127.0.0.1', () => console.log(`listening ${http.address().port}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
