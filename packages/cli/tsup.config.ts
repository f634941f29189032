import { packageBuild } from '../../tsup.package.js';

export default packageBuild({ index: 'src/index.ts', main: 'src/main.ts', 'deployment/index': 'src/deployment/index.ts', 'deployment/demo': 'src/deployment/demo.ts' });
