import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { SLASH_COMMANDS } from '../../src/domain/commands';

const ROOT = path.resolve(__dirname, '../..');
const manifest = parse(fs.readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8'));
/** Slack's app-manifest schema, from shared/ beside the checkout; a copy is kept in test/fixtures. */
const SCHEMA_PATHS = [path.join(ROOT, '../shared/slack/manifest.schema.1.0.0.json'), path.join(ROOT, 'test/fixtures/manifest.schema.1.0.0.json')];

describe('manifest.yml', () => {
  test('is valid against Slack\'s app-manifest schema', () => {
    const schemaPath = SCHEMA_PATHS.find((candidate) => fs.existsSync(candidate))!;
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat('uri', true);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  test('lists exactly the slash commands the code handles, each with a description, a usage hint and escaping', () => {
    const commands = manifest.features.slash_commands as { command: string; description: string; usage_hint: string; should_escape: boolean }[];
    expect(commands.map((c) => c.command).sort()).toEqual([...SLASH_COMMANDS].sort());
    for (const command of commands) {
      expect(command.description.length).toBeGreaterThan(10);
      expect(command.usage_hint.length).toBeGreaterThan(2);
      expect(command.should_escape).toBe(true);
    }
  });

  test('asks for the bot scopes it uses and no more, with the App Home, interactivity and Socket Mode on', () => {
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['channels:history', 'chat:write', 'commands', 'files:write', 'groups:history', 'im:history', 'im:write', 'usergroups:read', 'users.profile:read', 'users:read']);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened', 'subteam_members_changed', 'user_change']);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
});
