import { packageBuild } from '../../tsup.package.js';

export default packageBuild({ index: 'src/index.ts', 'http/index': 'src/http/index.ts', 'store/index': 'src/store/authoring.ts', 'fakes/index': 'src/testing/fakes.ts', 'testing/index': 'src/testing/index.ts' });
