import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { MAX_SEED } from '../../domain/job.js';
import { COMMAND_LOCALIZATIONS, withOptionDescriptions } from '../../discord/views/command-text.js';
import { EVERYWHERE } from '../scope.js';

const { String: Text, Integer, Number: Decimal, Attachment, Boolean: Switch } = ApplicationCommandOptionType;

/**
 * Every option any catalogued model takes. Ranges here are the widest any model accepts; each
 * model's own ranges, choices and required options are checked against its schema on submit, and
 * `model`, `duration`, `resolution` and `aspect_ratio` offer the chosen model's values as you type.
 */
export const AnimateCommand = withOptionDescriptions({
	type: ApplicationCommandType.ChatInput,
	name: 'animate',
	description: 'Turn a still image into a short video',
	description_localizations: COMMAND_LOCALIZATIONS.animate.description_localizations,
	...EVERYWHERE,
	options: [
		{ type: Attachment, name: 'image', description: 'The picture to animate (PNG, JPEG or WebP; 1024×576 works best)', required: true },
		{ type: Text, name: 'model', description: 'The video model (this server’s default when left out)', autocomplete: true, max_length: 100 },
		{ type: Text, name: 'prompt', description: 'Describe the motion (Wan, Kling, Hailuo, Luma)', max_length: 5000 },
		{ type: Text, name: 'negative_prompt', description: 'What to avoid in the video (Kling)', max_length: 2500 },
		{ type: Text, name: 'duration', description: 'Length of the video, from the model’s choices', autocomplete: true, max_length: 10 },
		{ type: Text, name: 'resolution', description: 'Resolution, from the model’s choices', autocomplete: true, max_length: 10 },
		{ type: Text, name: 'aspect_ratio', description: 'Aspect ratio, from the model’s choices', autocomplete: true, max_length: 10 },
		{ type: Attachment, name: 'end_image', description: 'The last frame the video should reach (Wan, Hailuo, Luma)' },
		{ type: Switch, name: 'loop', description: 'End where it starts, for a seamless loop (Luma)' },
		{ type: Integer, name: 'motion', description: 'How much things move, 1–255 (default 127; SVD models)', min_value: 1, max_value: 255 },
		{
			type: Decimal,
			name: 'noise',
			description: 'Noise added to the image, 0–10; more noise = more change (SVD models)',
			min_value: 0,
			max_value: 10,
		},
		{ type: Integer, name: 'seed', description: 'Same seed + same options = same video (random when left out)', min_value: 0, max_value: MAX_SEED },
		{ type: Integer, name: 'steps', description: 'Denoising steps; more is slower and finer (SVD models)', min_value: 1, max_value: 100 },
		{ type: Integer, name: 'fps', description: 'Frames per second of the video (Stable Video, Fast SVD)', min_value: 1, max_value: 100 },
		{ type: Attachment, name: 'mask', description: 'Black-and-white image: black areas move, white areas stay still (SVD)' },
		{ type: Attachment, name: 'depth_maps', description: 'Zip of depth-map images, one per frame, to steer the motion (SVD)' },
	],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody);
