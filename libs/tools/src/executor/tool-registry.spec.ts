import type { ToolEntity } from '../tool.entity.js';
import { ToolRegistry } from './tool-registry.js';

function record(name: string, version = 1, builtin = false): ToolEntity {
  return {
    id: name,
    serverId: 'server_a',
    name,
    title: null,
    description: `${name} tool`,
    parameters: [],
    inputSchema: { type: 'object', properties: { x: { type: 'number' } } },
    outputSchema: null,
    annotations: null,
    requiredScope: null,
    executor: null,
    importSource: null,
    importPrefix: null,
    importOperation: null,
    importFingerprint: null,
    builtin,
    enabled: true,
    version,
    createdAt: new Date(0),
    updatedAt: new Date(version * 1000),
  };
}

describe('ToolRegistry', () => {
  it('lists tools sorted by name', () => {
    const registry = new ToolRegistry();
    registry.replaceAll([record('b'), record('a'), record('c')]);
    expect(registry.list().map((t) => t.record.name)).toEqual(['a', 'b', 'c']);
  });

  it('adds, replaces and removes single tools', () => {
    const registry = new ToolRegistry();
    registry.upsert(record('a'));
    registry.upsert(record('b'));
    registry.remove('a');
    expect(registry.list().map((t) => t.record.name)).toEqual(['b']);
    expect(registry.get('a')).toBeUndefined();
    expect(registry.size).toBe(1);
  });

  it('attaches built-in handlers only to built-in records', () => {
    const registry = new ToolRegistry();
    const handler = { execute: () => 42 };
    registry.addHandler('a', handler);
    registry.addHandler('b', handler);
    registry.replaceAll([record('a', 1, true), record('b', 1, false)]);
    expect(registry.get('a')?.executor).toBe(handler);
    expect(registry.get('b')?.executor).toBeUndefined();
  });

  it('reuses the compiled validator while the version is unchanged and recompiles after a change', () => {
    const registry = new ToolRegistry();
    const first = registry.upsert(record('a', 1));
    expect(registry.upsert(record('a', 1)).validate).toBe(first.validate);
    expect(registry.upsert(record('a', 2)).validate).not.toBe(first.validate);
  });

  it('announces a reload and changes its revision only when the catalogue really differs', () => {
    const registry = new ToolRegistry();
    let announced = 0;
    registry.onChange(() => announced++);
    registry.replaceAll([record('a'), record('b')]);
    const revision = registry.revision;
    expect(announced).toBe(1);
    registry.replaceAll([record('a'), record('b')]);
    registry.upsert(record('a'));
    expect(announced).toBe(1);
    expect(registry.revision).toBe(revision);
    registry.replaceAll([record('a'), record('b', 2)]);
    expect(announced).toBe(2);
    registry.replaceAll([record('a'), record('b', 2), record('c')]);
    registry.replaceAll([record('a'), record('b', 2)]);
    registry.upsert({ ...record('a'), enabled: false });
    expect(announced).toBe(5);
    expect(registry.revision).not.toBe(revision);
  });

  it('never gives two registries (two lives of a process) the same revision', () => {
    expect(new ToolRegistry().revision).not.toBe(new ToolRegistry().revision);
  });
});
