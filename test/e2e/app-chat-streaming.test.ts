// A real application end to end: Fauna's streaming chat sample,
// github.com/fauna-labs/chat-app-streaming. Its schema (schema/setup.fsl @e76f144: users, rooms
// and messages without defined fields, `@role(server)` Login and Signup functions, a role for
// logged-in users and one for the key the web app ships with) is pushed with the published
// `fauna` CLI; the app's queries are recreated from src/app/authenticationform/page.js @64e23bf
// (sign-up guarded by `isEmpty()`, login handing back the user and a token), src/app/page.js
// @0464e2b (rooms, and a stream of `Room.all()`) and src/app/room/[...id]/page.js @3b65bd5 (a
// stream of a room's messages through an index on a reference, the existing messages, posting).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fql, type Client } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { Clients, data, fails } from './identity-helpers';
import { FaunaCli } from './app-helpers';
import { collect } from './events-helpers';

const ADMIN = 'secret:chatstream:admin';

// setup.fsl as the sample has it.
const SETUP_FSL = `collection User {
  history_days 0
  index byUsername {
    terms [.username]
  }
}

collection Room {}

collection Message {
  history_days 0
  index byRoomRef {
    terms [.roomRef]
  }
  index byRoomId {
    terms [.roomId]
  }
}

@role(server)
function Login(username, password) {
  let user = User.byUsername(username).first()
  let cred = Credentials.byDocument(user)!.login(password)
  let result = {
    user: user,
    cred: cred
  }
  result
}

@role(server)
function Signup(username, password) {
  let user = User.create({
    username: username
  })
  Credentials.create({
    document: user,
    password: password
  })
}

role AuthenticatedRole {
  privileges User {
    read
    create
    write
    delete
  }
  privileges Room {
    read
    create
    write
    delete
  }
  privileges Message {
    read
    create
    write
    delete
  }

  membership User
}

role UnAuthenticatedRole {
  privileges User {
    read
  }
  privileges Signup {
    call
  }
  privileges Login {
    call
  }
}
`;

const TAKEN = 'This username is already taken, select another';
const signUp = (username: string, password: string) => fql`
  let user = User.byUsername(${username}).isEmpty()
  if(user == true) {
  Signup(${username}, ${password})
  } else {
  let message = "This username is already taken, select another"
  message
  }`;

describe('app: chat-app-streaming (server-role login, rooms and messages over streams)', () => {
  let server: TestServer;
  let clients: Clients;
  let cli: FaunaCli;
  let anon: Client;
  const users: Record<string, { client: Client; id: string }> = {};

  before(async () => {
    server = await startServer();
    clients = new Clients(server);
    cli = new FaunaCli(server.url);
    await data(clients.as('secret'), fql`Database.create({ name: "chatstream" })`);
  });
  after(async () => {
    clients.close();
    await server?.dispose();
    cli?.dispose();
  });

  it('pushes setup.fsl with the fauna CLI', async () => {
    cli.writeSchema({ 'setup.fsl': SETUP_FSL });
    const pushed = await cli.run(['schema', 'push', '--dir', cli.schemaDir, '--no-input', '--active'], ADMIN);
    assert.equal(pushed.code, 0, pushed.out);
    anon = clients.as(await data<string>(clients.as(ADMIN), fql`Key.create({ role: "UnAuthenticatedRole" }).secret`));
  });

  it('signs up once per name and logs in with the unauthenticated key (authenticationform/page.js)', async () => {
    for (const name of ['ann', 'ben']) assert.notEqual(await data(anon, signUp(name, `${name}-pw`)), TAKEN);
    assert.equal(await data(anon, signUp('ann', 'other')), TAKEN);
    for (const name of ['ann', 'ben']) {
      const result = await data(anon, fql`Login(${name}, ${`${name}-pw`})`);
      assert.equal(result.user.username, name);
      assert.equal(result.cred.document.id, result.user.id);
      users[name] = { client: clients.as(result.cred.secret), id: result.user.id };
    }
    assert.equal(await data(users.ann.client, fql`Query.identity()!.username`), 'ann');
    // The shipped key reads users and calls the two functions, nothing else.
    await fails(anon, fql`Room.create({ owner: "mallory", roomName: "x" })`, 'permission_denied');
    assert.deepEqual(await data(anon, fql`User.all().map(.username).toArray()`), ['ann', 'ben']);
  });

  it('streams new rooms to the home page (page.js)', async () => {
    const ann = users.ann.client;
    const token = await data(ann, fql`Room.all().toStream()`);
    const stream = collect(ann, token, { status_events: true });
    try {
      await stream.take(1);
      await data(ann, fql`Room.create({"owner": "ann", "roomName": "general" })`);
      await data(users.ben.client, fql`Room.create({"owner": "ben", "roomName": "random" })`);
      const adds = () => stream.events.filter((e) => e.type === 'add');
      await stream.until(() => adds().length >= 2, '2 add events');
      assert.deepEqual(adds().map((e) => [e.data.owner, e.data.roomName]), [['ann', 'general'], ['ben', 'random']]);
    } finally {
      stream.close();
    }
    assert.deepEqual((await data(ann, fql`Room.all()`)).data.map((r: any) => r.roomName), ['general', 'random']);
  });

  it('streams a room\'s messages by room reference, and lists the existing ones (room/[...id]/page.js)', async () => {
    const ann = users.ann.client;
    const ben = users.ben.client;
    const id = await data<string>(ann, fql`Room.all().where(.roomName == "general").first()!.id`);
    const other = await data<string>(ann, fql`Room.all().where(.roomName == "random").first()!.id`);
    const post = (c: Client, room: string, username: string, message: string) => data(c, fql`
      let roomRef = Room.byId(${room})
      Message.create({ "username": ${username}, "message": ${message}, "roomRef": roomRef })`);
    await post(ann, id, 'ann', 'before the stream');
    const token = await data(ben, fql`
      let roomRef = Room.byId(${id})
      Message.byRoomRef(roomRef).toStream()`);
    const stream = collect(ben, token, { status_events: true });
    try {
      await stream.take(1);
      await post(ben, id, 'ben', 'hi ann');
      await post(ann, other, 'ann', 'elsewhere');
      await post(ann, id, 'ann', 'hi ben');
      const adds = () => stream.events.filter((e) => e.type === 'add');
      await stream.until(() => adds().length >= 2, '2 add events');
      assert.deepEqual(adds().map((e) => [e.data.username, e.data.message]), [['ben', 'hi ann'], ['ann', 'hi ben']]);
    } finally {
      stream.close();
    }
    const existing = await data(ben, fql`
      let roomRef = Room.byId(${id})
      Message.byRoomRef(roomRef)`);
    assert.deepEqual(existing.data.map((m: any) => m.message), ['before the stream', 'hi ann', 'hi ben']);
  });
});
