// A real application end to end: a chat app whose client holds only a key with a `public` role.
// Sign-up and login are `@role(server)` functions that create a user and its credential and
// hand back a token (the pattern of docs.fauna.com/fauna/current/build/tutorials/auth and the
// FSL function reference, docs.fauna.com/fauna/current/reference/fsl/function: `@role`);
// logged-in users get the `member` role through membership, whose predicates let them read and
// post only in rooms they belong to (docs.fauna.com/fauna/current/reference/fsl/role). Messages
// come from an index sorted newest first and are read page by page with cursors
// (docs.fauna.com/fauna/current/reference/fql-api/set/static-paginate). The schema is pushed
// with the published `fauna` CLI (`schema push --active`); everything else goes through the
// `fauna` driver. Error codes and messages follow core (ConstraintFailure.scala, abort →
// "Query aborted.", permission_denied "Insufficient privileges to perform the action.",
// unauthorized "Access token required").
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AbortError, NullDocument, fql, type Client } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { Clients, data, fails, PERMISSION_DENIED } from './identity-helpers';
import { aborts, FaunaCli, violates } from './app-helpers';

const ADMIN = 'secret:chat:admin';

const CHAT_FSL = `collection User {
  username: String
  displayName: String?

  unique [.username]

  index byUsername {
    terms [.username]
  }
}

collection Room {
  name: String
  owner: Ref<User>
  topic: String = ""

  compute members: Set<Membership> = (room => Membership.byRoom(room))

  unique [.name]

  index byName {
    terms [.name]
  }
}

collection Membership {
  room: Ref<Room>
  user: Ref<User>
  joinedAt: Time = Time.now()

  unique [.room, .user]

  index byRoom {
    terms [.room]
    values [.joinedAt]
  }

  index byRoomAndUser {
    terms [.room, .user]
  }
}

collection Message {
  room: Ref<Room>
  author: Ref<User>
  body: String
  createdAt: Time = Time.now()

  check nonEmptyBody (message => message.body.length > 0)

  // A room's messages, newest first.
  index byRoom {
    terms [.room]
    values [desc(.createdAt)]
  }
}

@role(server)
function signUp(username, password) {
  if (User.byUsername(username).nonEmpty()) {
    abort("Username is taken.")
  }
  let user = User.create({ username: username })
  let credential = Credential.create({ document: user, password: password })
  let token = credential.login(password)
  { user: user.id, secret: token.secret }
}

@role(server)
function logIn(username, password) {
  let user = User.byUsername(username).first()
  let credential = if (user != null) Credential.byDocument(user) else null
  if (credential == null || !credential!.verify(password)) {
    abort("Invalid username or password.")
  }
  let token = credential!.login(password)
  { user: user!.id, secret: token.secret }
}

function logOut() {
  Query.token()!.delete()
}

function createRoom(name) {
  let me = Query.identity()
  let room = Room.create({ name: name, owner: me })
  Membership.create({ room: room, user: me })
  room
}

function invite(roomId, username) {
  let room = Room.byId(roomId)!
  let user = User.byUsername(username).first()
  if (user == null) {
    abort("No such user.")
  }
  Membership.create({ room: room, user: user })
}

function post(roomId, body) {
  Message.create({ room: Room(roomId), author: Query.identity(), body: body })
}

// The key shipped with the client app.
role public {
  privileges signUp {
    call
  }
  privileges logIn {
    call
  }
}

// Every token whose identity is a User.
role member {
  membership User

  privileges User {
    read
  }
  privileges Room {
    read {
      predicate (room => Membership.byRoomAndUser(room, Query.identity()).nonEmpty())
    }
    create {
      predicate (room => room.owner == Query.identity())
    }
  }
  privileges Membership {
    read {
      predicate (membership => membership.user == Query.identity() || membership.room.owner == Query.identity())
    }
    create {
      predicate (membership => membership.room.owner == Query.identity())
    }
  }
  privileges Message {
    read {
      predicate (message => Membership.byRoomAndUser(message.room, Query.identity()).nonEmpty())
    }
    create {
      predicate (message => message.author == Query.identity() && Membership.byRoomAndUser(message.room, Query.identity()).nonEmpty())
    }
  }
  privileges createRoom {
    call
  }
  privileges invite {
    call
  }
  privileges post {
    call
  }
  privileges logOut {
    call
  }
}
`;

// Version 2 of the app: messages gain an `edited` flag and reactions, backfilled on the existing
// messages by migrations (docs.fauna.com/fauna/current/reference/fsl/field-definitions and
// .../fsl/migrations: `add`, `backfill`), and authors may edit their own messages.
const CHAT_V2_FSL = CHAT_FSL
  .replace(`  createdAt: Time = Time.now()

  check nonEmptyBody`, `  createdAt: Time = Time.now()
  edited: Boolean = false
  reactions: Array<String> = []

  migrations {
    add .edited
    backfill .edited = false
    add .reactions
    backfill .reactions = []
  }

  check nonEmptyBody`)
  .replace(`function logOut() {`, `function edit(messageId, body) {
  Message.byId(messageId)!.update({ body: body, edited: true })
}

function logOut() {`)
  .replace(`      predicate (message => message.author == Query.identity() && Membership.byRoomAndUser(message.room, Query.identity()).nonEmpty())
    }
  }`, `      predicate (message => message.author == Query.identity() && Membership.byRoomAndUser(message.room, Query.identity()).nonEmpty())
    }
    write {
      predicate ((before, after) => before.author == Query.identity() && after.author == before.author && after.room == before.room)
    }
  }
  privileges edit {
    call
  }`);

describe('app: chat (server-role sign-up, membership role, rooms, paginated messages)', () => {
  let server: TestServer;
  let clients: Clients;
  let cli: FaunaCli;
  let admin: Client;
  let app: Client;
  const users: Record<string, Client> = {};
  let general: string;
  let cats: string;

  before(async () => {
    server = await startServer();
    clients = new Clients(server);
    cli = new FaunaCli(server.url);
    await clients.as('secret').query(fql`Database.create({ name: "chat", typechecked: false })`);
    admin = clients.as(ADMIN);
    cli.writeSchema({ 'main.fsl': CHAT_FSL });
  });
  after(async () => {
    clients.close();
    await server?.dispose();
    cli?.dispose();
  });

  it('pushes the schema straight to active with the fauna CLI', async () => {
    const pushed = await cli.run(['schema', 'push', '--dir', cli.schemaDir, '--no-input', '--active'], ADMIN);
    assert.equal(pushed.code, 0, pushed.out);
    assert.deepEqual(await data(admin, fql`Function.all().where(.role == "server").map(.name).toArray().order()`), ['logIn', 'signUp']);
    assert.deepEqual(await data(admin, fql`Message.definition.indexes.byRoom.values`), [{ field: '.createdAt', order: 'desc' }]);
    app = clients.as(await data<string>(admin, fql`Key.create({ role: "public" }).secret`));
  });

  it('signs up and logs in through server-role functions with only the public key', async () => {
    for (const name of ['ann', 'ben', 'cat']) {
      const signed = await data(app, fql`signUp(${name}, ${name + '-pw'})`);
      assert.deepEqual(Object.keys(signed), ['user', 'secret']);
      assert.equal(await data(admin, fql`User.byId(${signed.user})!.username`), name);
      users[name] = clients.as(signed.secret);
    }
    await aborts(app, fql`signUp("ann", "other-pw")`, 'Username is taken.');
    // Six clients race for one name: transactions are serializable, so exactly one wins and the
    // others see its user.
    const race = await Promise.allSettled([0, 1, 2, 3, 4, 5].map((i) => app.query(fql`signUp("dana", ${`pw${i}`})`)));
    assert.equal(race.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of race) if (r.status === 'rejected') assert.equal((r.reason as AbortError).abort, 'Username is taken.');
    assert.equal(await data(admin, fql`User.byUsername("dana").count()`), 1);
    await aborts(app, fql`logIn("ann", "wrong")`, 'Invalid username or password.');
    await aborts(app, fql`logIn("nobody", "ann-pw")`, 'Invalid username or password.');

    // The public key itself can do nothing else.
    const direct = await fails(app, fql`User.create({ username: "mallory" })`, 'permission_denied');
    assert.equal(direct.message, PERMISSION_DENIED);
    await fails(app, fql`createRoom("lobby")`, 'permission_denied');
    assert.equal(await data(admin, fql`User.all().count()`), 4);

    // A second login gives a second, independent token.
    const again = await data(app, fql`logIn("ann", "ann-pw")`);
    const ann2 = clients.as(again.secret);
    assert.equal(await data(ann2, fql`Query.identity()!.username`), 'ann');
    const deleted = await data(ann2, fql`logOut()`);
    assert.ok(deleted instanceof NullDocument);
    assert.equal(deleted.cause, 'deleted');
    const gone = await fails(ann2, fql`1`, 'unauthorized', 401);
    assert.equal(gone.message, 'Access token required');
    assert.equal(await data(users.ann, fql`Query.identity()!.username`), 'ann');
  });

  it('creates rooms and invites members; only owners invite', async () => {
    const room = await data(users.ann, fql`createRoom("general") { id, name, topic, owner { username } }`);
    general = room.id;
    assert.deepEqual(room, { id: general, name: 'general', topic: '', owner: { username: 'ann' } });
    cats = (await data(users.cat, fql`createRoom("cats") { id }`)).id;

    assert.deepEqual(await data(users.ann, fql`invite(${general}, "ben") { user { username }, room { name } }`),
      { user: { username: 'ben' }, room: { name: 'general' } });
    await aborts(users.ann, fql`invite(${general}, "zed")`, 'No such user.');
    await violates(users.ann, fql`invite(${general}, "ben")`,
      'Failed unique constraint.', [{ message: 'Failed unique constraint', paths: [['room'], ['user']] }]);
    // Ben is a member but not the owner.
    await fails(users.ben, fql`invite(${general}, "cat")`, 'permission_denied');
    await violates(users.cat, fql`createRoom("general")`,
      'Failed unique constraint.', [{ message: 'Failed unique constraint', paths: [['name']] }]);

    // Each user sees the rooms they belong to, and only those.
    assert.deepEqual(await data(users.ben, fql`Room.all().map(.name).toArray()`), ['general']);
    assert.deepEqual(await data(users.cat, fql`Room.all().map(.name).toArray()`), ['cats']);
    assert.equal(await data(users.cat, fql`Room.byName("general").first()`), null);
    const hidden = await data(users.cat, fql`Room.byId(${general})`);
    assert.ok(hidden instanceof NullDocument);
    assert.equal(hidden.cause, 'permission denied');
  });

  it('posts only in rooms the author belongs to, as themselves', async () => {
    for (let i = 1; i <= 5; i++) {
      const author = i % 2 === 1 ? users.ann : users.ben;
      assert.deepEqual(await data(author, fql`post(${general}, ${`hello ${i}`}) { body, author { username } }`),
        { body: `hello ${i}`, author: { username: i % 2 === 1 ? 'ann' : 'ben' } });
    }
    assert.deepEqual(await data(users.cat, fql`post(${cats}, "meow") { body }`), { body: 'meow' });

    const outsider = await fails(users.cat, fql`post(${general}, "meow")`, 'permission_denied');
    assert.equal(outsider.message, PERMISSION_DENIED);
    await fails(users.ben, fql`Message.create({ room: Room(${general}), author: User.byUsername("ann").first(), body: "spoof" })`, 'permission_denied');
    await violates(users.ann, fql`post(${general}, "")`,
      'Failed to create document in collection `Message`.', [{ message: 'Document failed check constraint `nonEmptyBody`', paths: [] }]);
    // Members read but never edit messages.
    await fails(users.ben, fql`Message.byRoom(Room(${general})).first()!.update({ body: "edited" })`, 'permission_denied');
    assert.equal(await data(admin, fql`Message.all().count()`), 6);
  });

  it('reads a room\'s messages newest first, page by page with cursors', async () => {
    const first = await data(users.ben, fql`Message.byRoom(Room(${general})).pageSize(2) { body, author { username } }`);
    assert.deepEqual(first.data, [{ body: 'hello 5', author: { username: 'ann' } }, { body: 'hello 4', author: { username: 'ben' } }]);
    const second = await data(users.ben, fql`Set.paginate(${first.after})`);
    assert.deepEqual(second.data, [{ body: 'hello 3', author: { username: 'ann' } }, { body: 'hello 2', author: { username: 'ben' } }]);
    const third = await data(users.ben, fql`Set.paginate(${second.after})`);
    assert.deepEqual(third.data, [{ body: 'hello 1', author: { username: 'ann' } }]);
    assert.equal(third.after, undefined);

    // The driver's iterator follows the same cursors.
    const pages: string[][] = [];
    for await (const page of users.ann.paginate<string>(fql`Message.byRoom(Room(${general})).pageSize(3).map(.body)`)) pages.push(page);
    assert.deepEqual(pages, [['hello 5', 'hello 4', 'hello 3'], ['hello 2', 'hello 1']]);

    // Messages since a point in time: a range over the index's descending value.
    const since = await data(admin, fql`Message.byRoom(Room(${general})).toArray()[2].createdAt`);
    assert.deepEqual(await data(users.ann, fql`Message.byRoom(Room(${general}), { to: ${since} }).map(.body).toArray()`),
      ['hello 5', 'hello 4', 'hello 3']);

    // Non-members see nothing, whatever way they ask.
    assert.equal(await data(users.cat, fql`Message.byRoom(Room(${general})).count()`), 0);
    assert.deepEqual(await data(users.cat, fql`Message.all().map(.body).toArray()`), ['meow']);
    const id = await data<string>(admin, fql`Message.byRoom(Room(${general})).first()!.id`);
    const hidden = await data(users.cat, fql`Message.byId(${id})`);
    assert.ok(hidden instanceof NullDocument);
    assert.equal(hidden.cause, 'permission denied');
  });

  it('ships version 2: pushes migrations that backfill existing messages, and lets authors edit', async () => {
    assert.notEqual(CHAT_V2_FSL, CHAT_FSL);
    cli.writeSchema({ 'main.fsl': CHAT_V2_FSL });
    const diff = await cli.run(['schema', 'diff', '--active', '--dir', cli.schemaDir], ADMIN);
    assert.match(diff.out, /\* Modifying collection `Message` at main\.fsl:\d+:1:\n {2}\* Defined fields:\n {2}\+ add field `edited`\n {2}\+ add field `reactions`/);
    const pushed = await cli.run(['schema', 'push', '--dir', cli.schemaDir, '--no-input', '--active'], ADMIN);
    assert.equal(pushed.code, 0, pushed.out);

    assert.deepEqual(await data(admin, fql`Message.all().map(m => [m.body, m.edited, m.reactions]).toArray().order()`), [
      ['hello 1', false, []], ['hello 2', false, []], ['hello 3', false, []], ['hello 4', false, []], ['hello 5', false, []], ['meow', false, []],
    ]);
    assert.deepEqual(await data(users.cat, fql`post(${cats}, "purr") { body, edited, reactions }`), { body: 'purr', edited: false, reactions: [] });

    const mine = await data<string>(users.ben, fql`Message.byRoom(Room(${general})).where(.author == Query.identity()).first()!.id`);
    const annS = await data<string>(users.ben, fql`Message.byRoom(Room(${general})).where(.author != Query.identity()).first()!.id`);
    assert.deepEqual(await data(users.ben, fql`edit(${mine}, "hello 4 (fixed)") { body, edited }`), { body: 'hello 4 (fixed)', edited: true });
    await fails(users.ben, fql`edit(${annS}, "ann was here")`, 'permission_denied');
    await fails(users.ben, fql`Message.byId(${mine})!.update({ room: Room(${cats}) })`, 'permission_denied');
    await violates(users.ben, fql`edit(${mine}, "")`, null, [{ message: 'Document failed check constraint `nonEmptyBody`', paths: [] }]);
    assert.deepEqual(await data(users.ann, fql`Message.byRoom(Room(${general})).take(2).map(m => [m.body, m.edited]).toArray()`),
      [['hello 5', false], ['hello 4 (fixed)', true]]);
  });

  it('counts a room\'s members through its computed field', async () => {
    assert.deepEqual(await data(users.ann, fql`Room.byId(${general})!.members.map(.user.username).toArray()`), ['ann', 'ben']);
  });
});
