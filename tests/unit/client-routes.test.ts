import { describe, expect, it } from 'vitest';
import { fragmentParam, matchRoute, paths } from '../../client/lib/routes.js';

describe('client routes', () => {
  it.each([
    ['/', { name: 'home' }],
    ['/join/ABC234', { name: 'join', code: 'ABC234' }],
    ['/join/abc%20234/', { name: 'join', code: 'abc 234' }],
    ['/w/w1_x-Y/facilitate', { name: 'facilitate', workshopId: 'w1_x-Y' }],
    ['/w/w1/g/g2', { name: 'board', workshopId: 'w1', groupId: 'g2' }],
    ['/w/w1/g/g2/', { name: 'board', workshopId: 'w1', groupId: 'g2' }],
    ['/w/w1/g/', { name: 'notFound' }],
    ['/w/bad id/g/g2', { name: 'notFound' }],
    ['/w/w1/g/g2/extra', { name: 'notFound' }],
    ['/join/%E0%A4%A', { name: 'notFound' }],
    ['/nope', { name: 'notFound' }],
  ])('%s', (path, route) => {
    expect(matchRoute(path)).toEqual(route);
  });

  it('builds the paths it matches', () => {
    expect(matchRoute(paths.board('w1', 'g2'))).toEqual({ name: 'board', workshopId: 'w1', groupId: 'g2' });
    expect(matchRoute(paths.facilitate('w1'))).toEqual({ name: 'facilitate', workshopId: 'w1' });
    expect(matchRoute(paths.join('AB 12'))).toEqual({ name: 'join', code: 'AB 12' });
  });

  it('reads a secret from the URL fragment', () => {
    expect(fragmentParam('#k=abc.def-ghi', 'k')).toBe('abc.def-ghi');
    expect(fragmentParam('#k=', 'k')).toBeNull();
    expect(fragmentParam('', 'k')).toBeNull();
  });
});
